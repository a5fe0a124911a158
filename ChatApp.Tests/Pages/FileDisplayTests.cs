using ChatApp.Pages;

namespace ChatApp.Tests.Pages;

public sealed class FileDisplayTests
{
    [Theory]
    [InlineData("report.pdf", "PDF")]
    [InlineData("archive.tar.gz", "GZ")]
    [InlineData("Photo.JpEg", "JPEG")]
    [InlineData(".env", "ENV")]
    public void AFileBadgeIsItsShortExtensionInUpperCase(string name, string badge)
    {
        Assert.Equal(badge, FileDisplay.Badge(name));
    }

    [Theory]
    [InlineData("README")]
    [InlineData("trailing.")]
    [InlineData("page.xhtml5")]
    [InlineData("notes.t-t")]
    [InlineData("line.txt\n")]
    [InlineData("")]
    [InlineData(null)]
    public void AFileWithoutAShortPlainExtensionIsBadgedFile(string? name)
    {
        Assert.Equal("FILE", FileDisplay.Badge(name));
    }
}

using System.Text;
using ChatApp.Files;

namespace ChatApp.Tests.Files;

public sealed class ImageSnifferTests
{
    [Theory]
    [InlineData("89504E470D0A1A0A0000000D", "image/png")]
    [InlineData("FFD8FFE000104A4649460001", "image/jpeg")]
    [InlineData("474946383961010001000000", "image/gif")]
    [InlineData("474946383761010001000000", "image/gif")]
    [InlineData("524946462400000057454250", "image/webp")]
    public void RasterImagesAreRecognisedByTheirFirstBytes(string hex, string expected) =>
        Assert.Equal(expected, ImageSniffer.Detect(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")]
    [InlineData("<!doctype html><script>alert(1)</script>")]
    [InlineData("RIFF$\0\0\0WAVEfmt ")]
    [InlineData("GIF")]
    [InlineData("")]
    public void AnythingElseIsNotAnImage(string content) =>
        Assert.Null(ImageSniffer.Detect(Encoding.Latin1.GetBytes(content)));
}

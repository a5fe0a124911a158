using System.Globalization;
using System.Text;

namespace ChatApp.Accounts;

/// <summary>
/// The confusable-insensitive skeleton two names are compared by (PROTOCOL.md §1): <c>аdmin</c> (Cyrillic а),
/// <c>ａｄｍｉｎ</c> (fullwidth) and <c>admin</c> share one, so none can pose as another.
/// </summary>
/// <remarks>
/// <para>Not the full UTS #39 table (no package here carries it; confusables.txt is ~6,000 lines). Instead, for
/// the characters a name may hold (letters and decimal digits, PROTOCOL.md §1):</para>
/// <list type="number">
/// <item>Compatibility folding in code, because <see cref="string.Normalize()"/> does nothing under
/// InvariantGlobalization (checked: it returns fullwidth text unchanged): fullwidth forms to ASCII, the Latin
/// ligatures (ﬁ, ﬀ, ...) to their letters, every decimal digit of any script to its ASCII digit.</item>
/// <item>The UTS #39 mappings of the scripts that hold look-alikes of Latin letters in names: Cyrillic,
/// Greek and Armenian letters to the Latin letter they draw as, plus the Latin ones (0/O, 1/l/I, rn/m, ı).</item>
/// <item>Case folding, then the mapping again (a lower-cased capital may be a look-alike itself).</item>
/// </list>
/// </remarks>
public static class NameSkeleton
{
    private static readonly Dictionary<char, string> LookAlikes = Build();

    /// <summary>
    /// The skeletons of a name as written and in lower case: names are one user whatever their case, so "ADMΙN"
    /// (Greek Ι) must meet "admin" even though I and l look alike only in capitals.
    /// </summary>
    public static IReadOnlyList<string> AllOf(string name)
    {
        var written = Of(name);
        var lower = Of(name.ToLowerInvariant());
        return written == lower ? [written] : [written, lower];
    }

    public static string Of(string name)
    {
        var folded = Map(Fold(name));
        return Map(folded.ToLowerInvariant()).ToLowerInvariant();
    }

    private static string Fold(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is >= '\uFF01' and <= '\uFF5E') text.Append((char)(c - 0xFEE0)); // fullwidth ASCII
            else if (char.IsDigit(c)) text.Append((char)('0' + (int)CharUnicodeInfo.GetNumericValue(c)));
            else text.Append(c switch
            {
                'ﬀ' => "ff", 'ﬁ' => "fi", 'ﬂ' => "fl", 'ﬃ' => "ffi", 'ﬄ' => "ffl", 'ﬅ' => "st", 'ﬆ' => "st",
                _ => c.ToString(),
            });
        }
        return text.ToString();
    }

    private static string Map(string text)
    {
        var skeleton = new StringBuilder(text.Length);
        foreach (var c in text) skeleton.Append(LookAlikes.TryGetValue(c, out var latin) ? latin : c.ToString());
        return skeleton.ToString();
    }

    private static Dictionary<char, string> Build()
    {
        var map = new Dictionary<char, string>();
        void Add(string from, string to) { for (var i = 0; i < from.Length; i++) map[from[i]] = to[i].ToString(); }

        // Latin and digits (UTS #39: 0 → O, 1 → l, I → l, | and ı and ℓ → l/i, m → rn).
        Add("01Iıℓ", "Ollil");
        map['m'] = "rn";
        // Cyrillic: lower then upper case.
        Add("аеѕіјһорсухԁԛԝӏү", "aesijhopcyxdqwly");
        Add("АВЕЅІЈКМНОРСТХУԚԜӀҮ", "ABESlJKMHOPCTXYQWlY");
        // Greek: lower then upper case.
        Add("αιοκνρυχγϲϳ", "aiokvpuxycj");
        Add("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹͿ", "ABEZHlKMNOPTYXCJ");
        // Armenian.
        Add("օոսհզ", "onuhq");
        return map;
    }
}

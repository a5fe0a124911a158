using System.Text;

namespace ChatApp.Stomp;

/// <summary>Header value escaping (STOMP 1.2 §Value Encoding): none in 1.0; <c>\n \c \\</c> in 1.1; plus <c>\r</c> in 1.2.</summary>
public static class StompEscaping
{
    /// <summary>The unescaped text, or null for an undefined escape sequence (a fatal error by the specification).</summary>
    public static string? Unescape(string value, StompVersion version)
    {
        if (version == StompVersion.V10 || value.IndexOf('\\') < 0) return value;
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\') { result.Append(value[i]); continue; }
            if (++i == value.Length) return null;
            switch (value[i])
            {
                case 'n': result.Append('\n'); break;
                case 'c': result.Append(':'); break;
                case '\\': result.Append('\\'); break;
                case 'r' when version == StompVersion.V12: result.Append('\r'); break;
                default: return null;
            }
        }
        return result.ToString();
    }

    public static string Escape(string value, StompVersion version)
    {
        if (version == StompVersion.V10 || value.AsSpan().IndexOfAny("\\\n:\r") < 0) return value;
        var result = new StringBuilder(value.Length + 8);
        foreach (var c in value)
            result.Append(c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                ':' => "\\c",
                '\r' when version == StompVersion.V12 => "\\r",
                _ => c.ToString(),
            });
        return result.ToString();
    }
}

namespace CsPyLive.Python.Reload;

/// <summary>
/// What the companion compiler made of a file: marshalled code ready to execute, or an error that names the file
/// and line the way a performer reads it (<c>chain.py:12: SyntaxError: invalid syntax</c>).
/// </summary>
public sealed record CompileResult(string Path, byte[]? MarshalledCode, string? Error, int Line, int Offset, string? SourceLine)
{
    public bool Ok => MarshalledCode is not null;

    /// <summary>One line for the log: file, line, what is wrong, and the offending text.</summary>
    public string Describe() => Ok
        ? $"{System.IO.Path.GetFileName(Path)}: compiled"
        : $"{System.IO.Path.GetFileName(Path)}:{Line}: {Error}" + (string.IsNullOrEmpty(SourceLine) ? "" : $"\n    {SourceLine.Trim()}");
}

using System.Text;

namespace CsPyLive.Python;

/// <summary>A Python error seen by host code (not by opcodes, which log instead): carries the formatted traceback.</summary>
public sealed class PythonException(string message) : Exception(message)
{
    /// <summary>Takes the pending Python exception (GIL held) into a .NET exception with its traceback.</summary>
    internal static PythonException Fetch(string context)
    {
        using var text = PythonRuntime.TakeExceptionText();
        var traceback = Encoding.UTF8.GetString(PythonRuntime.Utf8(text)).TrimEnd();
        return new PythonException(traceback.Length == 0 ? context : $"{context}:\n{traceback}");
    }
}

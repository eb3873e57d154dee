using CsPyLive.Audio.Jack;
using CsPyLive.Config;
using CsPyLive.Csound;
using CsPyLive.Inputs;
using CsPyLive.Live;
using CsPyLive.Python;

namespace CsPyLive.Cli;

/// <summary>
/// What <c>play</c> and <c>render</c> share: options resolved into a <see cref="Show"/>, run, and every failure a
/// user can cause turned into a message and an exit code instead of a stack trace: 2 for options that cannot be used,
/// 1 for a show that cannot start (a CSD that does not compile, no JACK server, a port taken, a file not writable).
/// </summary>
internal static class ShowRunner
{
    /// <param name="log">Where the show's messages go; null: plain lines on standard error (<see cref="PlainLog"/>).</param>
    public static int Perform(ShowRequest request, HostConfig host, Func<Show, int> perform, Action<MessageKind, string>? log = null)
    {
        ShowOptions options;
        try
        {
            options = ShowOptions.Resolve(request, host);
        }
        catch (ConfigException e)
        {
            ConsoleLog.Fail(e.Message);
            return 2;
        }
        return Run(options, perform, log);
    }

    /// <summary>A show from resolved options, with the same error handling.</summary>
    public static int Run(ShowOptions options, Func<Show, int> perform, Action<MessageKind, string>? log = null)
    {
        try
        {
            var plain = new PlainLog(ConsoleLog.Print, options.Verbose);
            using var flush = new Timer(_ => plain.Flush(), null, 1000, 1000); // "(×N)" for a line that keeps coming
            using var show = new Show(options, log ?? plain.Write);
            return perform(show);
        }
        catch (Exception e) when (e is CsoundException or PythonException or JackException or IOException or InputUnavailableException
                                      or UnauthorizedAccessException or DllNotFoundException or ConfigException)
        {
            ConsoleLog.Fail(e.Message);
            return 1;
        }
    }
}

using System.Runtime.InteropServices;

namespace CsPyLive.Cli;

/// <summary>
/// Ctrl+C (SIGINT), SIGTERM (a service manager, <c>timeout</c>, <c>kill</c>) and SIGHUP (a terminal closing): the first
/// of them stops the show in order (the recording closed, the stats written); a second one of any kind quits at once,
/// the way out when stopping itself hangs.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource cancel = new();
    private readonly PosixSignalRegistration[] registrations;
    private readonly string whatIsLost;

    /// <param name="whatIsLost">What quitting at once leaves unfinished, for the second signal's message.</param>
    public StopSignals(string whatIsLost)
    {
        this.whatIsLost = whatIsLost;
        registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, OnSignal))];
    }

    public CancellationToken Token => cancel.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (!cancel.IsCancellationRequested)
        {
            context.Cancel = true; // the first one: stop in order
            cancel.Cancel();
            return;
        }
        // A second one takes the runtime's default: the process ends now.
        var name = context.Signal == PosixSignal.SIGINT ? "Ctrl+C" : context.Signal.ToString();
        Console.Error.WriteLine($"cspylive: second {name}: quitting at once ({whatIsLost})");
    }

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
        cancel.Dispose();
    }
}

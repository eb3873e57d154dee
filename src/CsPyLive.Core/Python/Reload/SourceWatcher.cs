using System.Diagnostics;
using System.Threading.Channels;

namespace CsPyLive.Python.Reload;

/// <summary>A watched file was saved: its path and when we saw it (Stopwatch timestamp, for save-to-live latency).</summary>
public readonly record struct SourceSaved(string Path, long SeenAt);

/// <summary>
/// Watches Python files for saves and reports each save once. Editors save in different ways (write in place,
/// write a temp file and rename, several writes in a row): events are collapsed over a short settle time and
/// reported only when the file's content actually changed. Events arrive on <see cref="Saves"/>; control side only.
/// </summary>
public sealed class SourceWatcher : IDisposable
{
    private readonly Dictionary<string, FileSystemWatcher> watchers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> lastContent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CancellationTokenSource> settling = new(StringComparer.Ordinal);
    private readonly Channel<SourceSaved> saves = Channel.CreateUnbounded<SourceSaved>();
    private readonly object gate = new();

    /// <summary>How long a file must be quiet after an event before it is read (editors write in pieces).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMilliseconds(8);

    public ChannelReader<SourceSaved> Saves => saves.Reader;

    public IReadOnlyCollection<string> Files
    {
        get { lock (gate) return lastContent.Keys.ToArray(); }
    }

    /// <summary>Starts watching <paramref name="path"/> (absolute or relative to the current folder).</summary>
    public void Watch(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        lock (gate)
        {
            if (lastContent.ContainsKey(full)) return;
            lastContent[full] = ReadOrEmpty(full);
            var dir = System.IO.Path.GetDirectoryName(full)!;
            if (watchers.ContainsKey(dir) || !Directory.Exists(dir)) return; // a folder gone since the file was run: nothing to watch
            var w = new FileSystemWatcher(dir)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
                IncludeSubdirectories = false,
            };
            w.Changed += (_, e) => OnEvent(e.FullPath);
            w.Created += (_, e) => OnEvent(e.FullPath);
            w.Renamed += (_, e) => OnEvent(e.FullPath);
            w.EnableRaisingEvents = true;
            watchers[dir] = w;
        }
    }

    private void OnEvent(string path)
    {
        var seen = Stopwatch.GetTimestamp();
        CancellationTokenSource cts;
        lock (gate)
        {
            if (!lastContent.ContainsKey(path)) return;
            if (settling.Remove(path, out var previous)) previous.Cancel();
            cts = new CancellationTokenSource();
            settling[path] = cts;
        }
        _ = Task.Delay(Settle, cts.Token).ContinueWith(t =>
        {
            if (t.IsCanceled) return;
            var content = ReadOrEmpty(path);
            lock (gate)
            {
                settling.Remove(path);
                if (lastContent[path] == content) return;
                // A file that was not empty and now is: an editor (or File.WriteAllText) truncates before it writes,
                // and on a loaded machine the write can land after the settle time. Swapping an empty module in
                // would take every function away for that moment (found by the show-log test at load 10: a third
                // "reload ok"); the write that follows raises its own event.
                if (content.Length == 0 && lastContent[path].Length > 0) return;
                lastContent[path] = content;
            }
            saves.Writer.TryWrite(new SourceSaved(path, seen));
        }, TaskScheduler.Default);
    }

    private static string ReadOrEmpty(string path)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try { return File.ReadAllText(path); }
            catch (FileNotFoundException) { return ""; }
            catch (IOException) { Thread.Sleep(2); }
        }
        return "";
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var w in watchers.Values) w.Dispose();
            watchers.Clear();
        }
        saves.Writer.TryComplete();
    }
}

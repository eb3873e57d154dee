using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CsPyLive.Csound;
using CsPyLive.Python.Reload;

namespace CsPyLive.Replay;

/// <summary>
/// Writes the show log (<c>play --log show.cslog</c>, format in docs/show-log.md): a header with the patch's files
/// and what a replay needs, then one JSON line per thing applied to the performance, drained from the audio
/// thread's <see cref="AppliedLog"/>, and each reload with its code. Appended, handed to the OS every pump and
/// synced to disk about once a second, so a crash loses at most the last second.
/// </summary>
/// <remarks>
/// Threads: everything on the show's control thread (<see cref="Pump"/> with the rest of its control work), never the
/// audio thread. Steady state allocates nothing per entry: one reused JSON writer over one reused buffer, and the
/// name of each channel and Python global turned into UTF-8 once.
/// </remarks>
public sealed class ShowLogWriter : IDisposable
{
    public const int Version = 1;

    private readonly Engine engine;
    private readonly AppliedLog applied;
    private readonly Func<int, string> pythonName;
    private readonly Func<int, string> channelName; // made once: a method group converted at each call allocates
    private readonly FileStream file;
    private readonly ArrayBufferWriter<byte> buffer = new(1 << 16);
    private readonly Utf8JsonWriter json;
    private readonly List<JsonEncodedText?> channelNames = [];
    private readonly List<JsonEncodedText?> pythonNames = [];
    private readonly byte[] text = new byte[1 << 16]; // a string, code or MIDI bytes being joined from chunks
    private readonly Queue<ReloadLogged> reloads = new();
    private int textLength;
    private long lastSync = Environment.TickCount64;
    private long lostSaid;

    /// <param name="path">The log file, created (or emptied).</param>
    /// <param name="engine">The show's engine, started.</param>
    /// <param name="applied">What its audio thread records (<see cref="Engine.Applied"/>).</param>
    /// <param name="header">What the replay needs besides the entries (<see cref="ShowLogHeader"/>).</param>
    /// <param name="pythonName">The name of a Python global from its index (OSC's names).</param>
    public ShowLogWriter(string path, ShowLogHeader header, Engine engine, AppliedLog applied, Func<int, string> pythonName)
    {
        this.engine = engine;
        this.applied = applied;
        this.pythonName = pythonName;
        channelName = engine.ChannelName;
        file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0); // our buffer is the JSON one: each pump reaches the OS, so kill -9 loses nothing written
        json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        var first = JsonSerializer.SerializeToUtf8Bytes(header, ShowLogJson.Default.ShowLogHeader);
        file.Write(first);
        file.WriteByte((byte)'\n');
        file.Flush(flushToDisk: true);
    }

    /// <summary>A reload's outcome, from the reloader (control thread); written with the next pump.</summary>
    public void Reload(ReloadLogged r) => reloads.Enqueue(r);

    /// <summary>Writes what the audio thread applied since the last pump. Control thread, often.</summary>
    public void Pump()
    {
        while (reloads.TryDequeue(out var r)) WriteReload(r);
        while (applied.TryTake(out var e)) Write(in e);
        if (applied.Lost > lostSaid)
        {
            lostSaid = applied.Lost;
            Begin(engine.FramesPerformed);
            json.WriteNumber("lost"u8, lostSaid);
            End();
        }
        if (buffer.WrittenCount > 0)
        {
            file.Write(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
        }
        if (Environment.TickCount64 - lastSync >= 1000)
        {
            file.Flush(flushToDisk: true);
            lastSync = Environment.TickCount64;
        }
    }

    private void Write(in AppliedEntry e)
    {
        switch (e.Kind)
        {
            case AppliedKind.Event:
                Begin(e.Frame);
                json.WriteStartArray(EventKey(e.Sub));
                for (var i = 0; i < e.Count; i++) json.WriteNumberValue(e.P[i]);
                json.WriteEndArray();
                End();
                break;
            case AppliedKind.Channel:
                Begin(e.Frame);
                json.WriteString("chn"u8, Name(channelNames, e.Index, channelName));
                json.WriteNumber("v"u8, e.Value);
                End();
                break;
            case AppliedKind.TurnOff:
                Begin(e.Frame);
                json.WriteNumber("off"u8, e.Value);
                End();
                break;
            case AppliedKind.PyNumber:
                Begin(e.Frame);
                json.WriteString("py"u8, Name(pythonNames, e.Index, pythonName));
                json.WriteNumber("v"u8, e.Value);
                json.WriteString("k"u8, e.Sub switch { 1 => "i"u8, 2 => "b"u8, _ => "f"u8 });
                End();
                break;
            case AppliedKind.PyString or AppliedKind.PyExec or AppliedKind.Midi:
                var chunk = MemoryMarshal.AsBytes((ReadOnlySpan<double>)e.P)[..e.Count];
                if (textLength + chunk.Length <= text.Length) chunk.CopyTo(text.AsSpan(textLength));
                textLength = Math.Min(text.Length, textLength + chunk.Length);
                if (e.Sub == 1) break; // more follows
                var bytes = text.AsSpan(0, textLength);
                Begin(e.Frame);
                if (e.Kind == AppliedKind.Midi)
                {
                    json.WriteStartArray("midi"u8);
                    foreach (var b in bytes) json.WriteNumberValue(b);
                    json.WriteEndArray();
                }
                else
                {
                    if (e.Kind == AppliedKind.PyString) json.WriteString("pys"u8, Name(pythonNames, e.Index, pythonName));
                    json.WriteString(e.Kind == AppliedKind.PyString ? "s"u8 : "exec"u8, bytes);
                }
                End();
                textLength = 0;
                break;
        }
    }

    private void WriteReload(ReloadLogged r)
    {
        Begin(r.Frame);
        if (r.Path is null)
        {
            json.WriteBoolean("rollback"u8, true);
        }
        else
        {
            json.WriteString("reload"u8, System.IO.Path.GetFileName(r.Path));
            json.WriteBoolean("gap"u8, r.InGap);
            json.WriteBase64String("code"u8, r.Code);
            string? source = null;
            try { source = File.ReadAllText(r.Path); } catch (IOException) { } // for people; the code is what replays
            if (source is not null) json.WriteString("source"u8, source);
        }
        End();
    }

    /// <summary>One event letter as a key ("i", "f", "e", ...); cached, the letters are few.</summary>
    private static readonly JsonEncodedText[] EventKeys = Enumerable.Range(0, 128).Select(c => JsonEncodedText.Encode(((char)c).ToString())).ToArray();

    private static JsonEncodedText EventKey(byte letter) => EventKeys[letter & 127];

    private static JsonEncodedText Name(List<JsonEncodedText?> cache, int index, Func<int, string> lookup)
    {
        while (cache.Count <= index) cache.Add(null);
        return cache[index] ??= JsonEncodedText.Encode(lookup(index));
    }

    private void Begin(long frame)
    {
        json.Reset();
        json.WriteStartObject();
        json.WriteNumber("f"u8, frame);
    }

    private void End()
    {
        json.WriteEndObject();
        json.Flush();
        buffer.Write("\n"u8);
    }

    /// <summary>The last line: the frames the show performed (a log without it was cut short). Control thread.</summary>
    public void Close(long framesPerformed)
    {
        Pump();
        json.Reset();
        json.WriteStartObject();
        json.WriteNumber("end"u8, framesPerformed);
        json.WriteNumber("lost"u8, applied.Lost);
        End();
        file.Write(buffer.WrittenSpan);
        buffer.ResetWrittenCount();
        file.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        json.Dispose();
        file.Dispose();
    }
}

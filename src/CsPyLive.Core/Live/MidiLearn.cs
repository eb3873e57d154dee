using CsPyLive.Config;
using CsPyLive.Midi;

namespace CsPyLive.Live;

/// <summary>
/// MIDI learn: the next controller a performer moves is routed to a control channel they named — at once in the
/// running show, and for the next one in <c>patch.yaml</c> (<c>midi: cc: {N: name}</c>, written with its comments and
/// formatting kept). Control threads; the audio thread only publishes the last controller and reads the route.
/// </summary>
public sealed class MidiLearn(Show show, MidiRouter router)
{
    /// <summary>The last controller moved (its count changes with each move).</summary>
    public (long Count, int Channel, int Controller) Last => router.LastControl;

    /// <summary>
    /// Routes <paramref name="controller"/> to <paramref name="channel"/> now and writes it into the patch's
    /// patch.yaml. Returns what was done, for the performer. Throws <see cref="ConfigException"/> for a name that
    /// cannot be a channel or a patch.yaml that cannot take it (then nothing changes).
    /// </summary>
    public string Learn(int controller, string channel)
    {
        channel = channel.Trim();
        if (channel.Length == 0 || channel.Any(char.IsWhiteSpace) || channel.Contains('#') || channel.Contains(':'))
            throw new ConfigException("midi.cc", $"'{channel}' is not a channel name (no spaces, ':' or '#')");
        var path = Path.Combine(show.Options.Patch.Directory, PatchConfig.FileName);
        var before = File.Exists(path) ? File.ReadAllText(path) : "";
        var after = YamlTextEdit.SetEntry(before, "midi", "cc", controller.ToString(System.Globalization.CultureInfo.InvariantCulture), channel,
            $"learned {DateTime.Now:yyyy-MM-dd HH:mm}", path);
        var config = PatchConfig.Parse(after, path); // the file must still be a patch.yaml the next show can read
        if (config.Midi.Cc.GetValueOrDefault(controller) != channel)
            throw new ConfigException("midi.cc", $"{controller} did not read back as '{channel}'", path);
        var temporary = path + ".learn";
        File.WriteAllText(temporary, after);
        File.Move(temporary, path, overwrite: true); // whole or not at all
        router.Learn(controller, show.Engine.ChannelSlot(channel));
        return $"CC {controller} -> channel '{channel}', now and in {PatchConfig.FileName}";
    }
}

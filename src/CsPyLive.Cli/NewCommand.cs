using System.CommandLine;
using CsPyLive.Live;

namespace CsPyLive.Cli;

/// <summary><c>cspylive new NAME [--template keys|tablet|generative]</c>: a patch folder that plays at once.</summary>
internal static class NewCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "the patch folder to make (its name names the .csd and the Python module)" };
        var template = new Option<string>("--template", "-t") { Description = "keys (a MIDI keyboard), tablet (OSC faders), generative (Python decides the notes)", DefaultValueFactory = _ => "keys" };
        template.AcceptOnlyFromAmong([.. PatchTemplates.Names]);
        var command = new Command("new", "Make a patch folder from a template: a commented CSD, a Python module and a patch.yaml, ready to play.") { name, template };
        command.SetAction(r =>
        {
            var folder = Path.GetFullPath(r.GetValue(name)!);
            try
            {
                var made = PatchTemplates.Create(folder, r.GetValue(template)!);
                Console.Error.WriteLine($"cspylive: made {string.Join(", ", made.Select(Path.GetFileName))} in {folder}");
                Console.Error.WriteLine($"cspylive: play it: ./cspylive play {Path.GetRelativePath(Directory.GetCurrentDirectory(), folder)}" +
                    (r.GetValue(template) == "keys" ? " --midi-in jack" : ""));
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                ConsoleLog.Fail(e.Message);
                return 2;
            }
        });
        return command;
    }
}

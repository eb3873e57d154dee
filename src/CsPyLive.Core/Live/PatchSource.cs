namespace CsPyLive.Live;

/// <summary>
/// What a user named on the command line: a <c>.csd</c> file, or a patch folder holding one (and its <c>.py</c>
/// modules and an optional <c>patch.yaml</c>). Resolving gives the absolute CSD path and the folder the patch runs
/// in (relative paths in the orchestra, such as <c>pyexec "chain.py"</c>, are read from there, as when one runs
/// <c>csound</c> inside that folder).
/// </summary>
public sealed record PatchSource(string CsdPath, string Directory)
{
    /// <summary>Resolves a user's argument, or throws <see cref="FileNotFoundException"/> with a message for them.</summary>
    public static PatchSource Resolve(string argument)
    {
        var full = Path.GetFullPath(argument);
        if (File.Exists(full))
        {
            if (!full.EndsWith(".csd", StringComparison.OrdinalIgnoreCase))
                throw new FileNotFoundException($"{argument}: not a .csd file or a patch folder", argument);
            return new PatchSource(full, Path.GetDirectoryName(full)!);
        }
        if (System.IO.Directory.Exists(full))
        {
            var csds = System.IO.Directory.GetFiles(full, "*.csd");
            return csds.Length switch
            {
                1 => new PatchSource(csds[0], full),
                0 => throw new FileNotFoundException($"{argument}: the patch folder has no .csd file", argument),
                _ => PreferNamedAfterFolder(argument, full, csds),
            };
        }
        throw new FileNotFoundException($"{argument}: no such file or folder", argument);
    }

    private static PatchSource PreferNamedAfterFolder(string argument, string folder, string[] csds)
    {
        var named = Path.Combine(folder, Path.GetFileName(folder) + ".csd");
        if (File.Exists(named)) return new PatchSource(named, folder);
        throw new FileNotFoundException(
            $"{argument}: the patch folder has several .csd files ({string.Join(", ", csds.Select(Path.GetFileName))}); " +
            $"name one, or call the main one {Path.GetFileName(folder)}.csd", argument);
    }
}

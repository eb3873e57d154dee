using CsPyLive.Python.Reload;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Python;

/// <summary>The off-audio-thread half of hot reload: watching saves, and compiling in the companion process.</summary>
public sealed class ReloadPipelineTests
{
    private static PythonCompiler Compiler() =>
        new(PythonCompiler.FindExecutable(3, 11) ?? throw new InvalidOperationException("python3.11 is not installed"));

    [Fact]
    public async Task A_good_file_compiles_to_marshalled_code()
    {
        using var dir = new TempDir();
        var path = dir.Write("chain.py", "def step(x):\n    return x + 1\n");
        using var compiler = Compiler();
        var result = await compiler.CompileAsync(path);
        Assert.True(result.Ok, result.Describe());
        Assert.Equal((byte)'c', (byte)(result.MarshalledCode![0] & 0x7F)); // marshal's TYPE_CODE, with or without FLAG_REF
    }

    [Fact]
    public async Task A_syntax_error_names_the_file_the_line_and_the_text()
    {
        using var dir = new TempDir();
        var path = dir.Write("chain.py", "def step(x):\n    return x + 1\n\ndef broken(:\n    pass\n");
        using var compiler = Compiler();
        var result = await compiler.CompileAsync(path);
        Assert.False(result.Ok);
        Assert.Equal(4, result.Line);
        Assert.StartsWith("chain.py:4: SyntaxError", result.Describe());
        Assert.Contains("def broken(:", result.Describe());
    }

    [Fact]
    public async Task The_compiler_keeps_answering_after_errors_and_missing_files()
    {
        using var dir = new TempDir();
        using var compiler = Compiler();
        var missing = await compiler.CompileAsync(dir.File("nope.py"));
        Assert.False(missing.Ok);
        Assert.Contains("FileNotFoundError", missing.Error);
        var good = await compiler.CompileAsync(dir.Write("ok.py", "x = 1\n"));
        Assert.True(good.Ok);
    }

    [Fact]
    public async Task A_save_is_reported_once_and_an_unchanged_rewrite_not_at_all()
    {
        using var dir = new TempDir();
        var path = dir.Write("mod.py", "x = 1\n");
        using var watcher = new SourceWatcher();
        watcher.Watch(path);
        File.WriteAllText(path, "x = 2\n");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var saved = await watcher.Saves.ReadAsync(timeout.Token);
        Assert.Equal(path, saved.Path);

        File.WriteAllText(path, "x = 2\n"); // same content: nothing to reload
        await Task.Delay(300);
        Assert.False(watcher.Saves.TryRead(out _));
    }

    [Fact]
    public async Task A_save_by_rename_as_editors_do_is_seen()
    {
        using var dir = new TempDir();
        var path = dir.Write("mod.py", "x = 1\n");
        using var watcher = new SourceWatcher();
        watcher.Watch(path);
        var temp = dir.Write(".mod.py.swp", "x = 3\n");
        File.Move(temp, path, overwrite: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var saved = await watcher.Saves.ReadAsync(timeout.Token);
        Assert.Equal(path, saved.Path);
    }

    [Fact]
    public async Task A_save_whose_write_lands_after_its_truncation_is_reported_once_whole()
    {
        using var dir = new TempDir();
        var path = dir.Write("mod.py", "x = 1\n");
        using var watcher = new SourceWatcher();
        watcher.Watch(path);
        await using (var stream = new FileStream(path, FileMode.Truncate)) { } // an editor truncates...
        await Task.Delay(200);                                               // ...on a loaded machine, long before...
        File.AppendAllText(path, "x = 4\n");                                 // ...it writes
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var saved = await watcher.Saves.ReadAsync(timeout.Token);
        Assert.Equal("x = 4\n", File.ReadAllText(saved.Path));
        await Task.Delay(300);
        Assert.False(watcher.Saves.TryRead(out _)); // the empty file in between was never a save
    }
}

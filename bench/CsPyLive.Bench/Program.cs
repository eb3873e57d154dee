using CsPyLive.Bench;

// End-to-end measurements. Each mode compares ours against a reference side by side, in one run, as ratios, and
// writes its section of BENCHMARKS.md. Run: dotnet run -c Release --project bench/CsPyLive.Bench -- <mode>
var modes = new Dictionary<string, Func<string[], int>>
{
    ["render"] = RenderBenchmark.Run,
    ["jack-overhead"] = JackOverheadBenchmark.Run,
};
if (args.Length == 0 || !modes.TryGetValue(args[0], out var mode))
{
    Console.Error.WriteLine("usage: CsPyLive.Bench <" + string.Join('|', modes.Keys) + "> [options]");
    return 2;
}
return mode(args[1..]);

using CsPyLive.Bench;

// Modes: `pycall [seconds] [--rss-calls N]` (ours vs stock libpy.so per pycall1), `gil [seconds]` (GIL wait).
return args.FirstOrDefault() switch
{
    "pycall" => PyCallBenchmark.Run(args[1..]),
    "gil" => GilWaitBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: CsPyLive.Bench pycall [seconds=20] [--rss-calls N] | gil [seconds=5]");
    return 2;
}

using System.CommandLine;
using CsPyLive.Cli;
using CsPyLive.Config;
using CsPyLive.Live;

HostConfig config;
try
{
    config = HostConfig.Load();
}
catch (ConfigException e)
{
    ConsoleLog.Fail("config: " + e.Message);
    return 2;
}

var root = new RootCommand("CsPyLive: a live-performance host for Csound with Python.");
root.Subcommands.Add(PlayCommand.Create(config));
root.Subcommands.Add(RenderCommand.Create(config));
root.Subcommands.Add(ReplayCommand.Create(config));
root.Subcommands.Add(DevicesCommand.Create(config));
root.Subcommands.Add(NewCommand.Create());
root.Subcommands.Add(CsPyLive.Cli.Report.ReportCommand.Create());
return root.Parse(args).Invoke();

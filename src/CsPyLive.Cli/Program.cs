using System.CommandLine;
using CsPyLive.Cli;

var root = new RootCommand("CsPyLive: a live-performance host for Csound with Python.");
root.Subcommands.Add(PlayCommand.Create());
root.Subcommands.Add(RenderCommand.Create());
return root.Parse(args).Invoke();

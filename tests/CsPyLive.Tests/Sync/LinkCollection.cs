namespace CsPyLive.Tests.Sync;

/// <summary>
/// The Link tests time peers against each other on two shared cores: one at a time, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LinkCollection
{
    public const string Name = "Ableton Link peers in a private network namespace";
}

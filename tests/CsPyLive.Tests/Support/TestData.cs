namespace CsPyLive.Tests.Support;

/// <summary>Files under tests/CsPyLive.Tests/data, copied next to the test assembly.</summary>
public static class TestData
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    /// <summary>The repository's root (for patches/), found from the test assembly's folder.</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "CsPyLive.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new DirectoryNotFoundException("CsPyLive.sln not found above the test folder");
        }
    }
}

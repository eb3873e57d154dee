using CsPyLive.Python.Reload;

namespace CsPyLive.Tests.Python;

public sealed class UndoHistoryTests
{
    [Fact]
    public void Gives_back_the_newest_first_and_pushes_out_the_oldest_beyond_its_capacity()
    {
        var h = new UndoHistory();
        for (nint i = 1; i <= UndoHistory.Capacity; i++) Assert.Equal(0, h.Push(i));
        Assert.Equal(1, h.Push(UndoHistory.Capacity + 1)); // the oldest goes, for the caller to release
        Assert.Equal(UndoHistory.Capacity, h.Count);
        for (nint i = UndoHistory.Capacity + 1; i >= 2; i--) Assert.Equal(i, h.Pop());
        Assert.Equal(0, h.Pop());
        Assert.Equal(0, h.Count);
    }

    [Fact]
    public void Pushing_allocates_nothing()
    {
        var h = new UndoHistory();
        h.Push(1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (nint i = 0; i < 10_000; i++) h.Push(i + 1);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}

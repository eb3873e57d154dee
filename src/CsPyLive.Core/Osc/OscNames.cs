namespace CsPyLive.Osc;

/// <summary>
/// UTF-8 names (Python globals, channels) to small dense indices, looked up without allocating. Adding a name
/// allocates once (its copy); after that the name is found by hash and byte comparison. One writer thread.
/// </summary>
internal sealed class OscNames(int capacity)
{
    private readonly byte[][] names = new byte[capacity][];
    private readonly int[] buckets = CreateBuckets(capacity);
    private int count;

    public int Count => count;
    public int Capacity => names.Length;

    public ReadOnlySpan<byte> this[int index] => names[index];

    /// <summary>A name as text (allocates). Control threads.</summary>
    public string NameOf(int index) => System.Text.Encoding.UTF8.GetString(names[index]);

    /// <summary>The index of <paramref name="name"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> name)
    {
        var mask = buckets.Length - 1;
        for (var b = Hash(name) & mask; ; b = (b + 1) & mask)
        {
            var i = buckets[b];
            if (i < 0) return -1;
            if (names[i].AsSpan().SequenceEqual(name)) return i;
        }
    }

    /// <summary>Adds a name not yet present; -1 when full.</summary>
    public int Add(ReadOnlySpan<byte> name)
    {
        if (count == names.Length) return -1;
        var mask = buckets.Length - 1;
        var b = Hash(name) & mask;
        while (buckets[b] >= 0) b = (b + 1) & mask;
        names[count] = name.ToArray();
        buckets[b] = count;
        return count++;
    }

    /// <summary>A Python identifier in ASCII that does not start with "__" (no dunders from the network).</summary>
    public static bool IsPythonName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Length > 64 || name.StartsWith("__"u8)) return false;
        if (name[0] is >= (byte)'0' and <= (byte)'9') return false;
        foreach (var c in name)
            if (!(c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'_'))
                return false;
        return !IsKeyword(name);
    }

    /// <summary>A channel name from the network: letters, digits, '_' and '.', at most 64 bytes.</summary>
    public static bool IsChannelName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Length > 64) return false;
        foreach (var c in name)
            if (!(c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'_' or (byte)'.'))
                return false;
        return true;
    }

    private static bool IsKeyword(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("None"u8) || name.SequenceEqual("True"u8) || name.SequenceEqual("False"u8);

    private static int Hash(ReadOnlySpan<byte> name)
    {
        var h = 2166136261u;
        foreach (var c in name) h = (h ^ c) * 16777619u;
        return (int)(h & 0x7fffffff);
    }

    private static int[] CreateBuckets(int capacity)
    {
        var size = 4;
        while (size < capacity * 2) size *= 2;
        var b = new int[size];
        Array.Fill(b, -1);
        return b;
    }
}

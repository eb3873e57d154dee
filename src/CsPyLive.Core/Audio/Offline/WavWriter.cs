using System.Buffers.Binary;

namespace CsPyLive.Audio.Offline;

/// <summary>
/// Writes a RIFF/WAVE file of normalised float samples, interleaved, in one of <see cref="SampleFormat"/>.
/// Not real-time safe (it does I/O): the offline renderer calls it directly; a live recorder calls it from a
/// writer thread. Sizes in the header are patched on <see cref="Dispose"/>; files over 4 GiB are refused.
/// </summary>
public sealed class WavWriter : IDisposable
{
    private const ushort WaveFormatPcm = 1;
    private const ushort WaveFormatIeeeFloat = 3;
    private readonly Stream stream;
    private readonly int channels;
    private readonly int bytesPerSample;
    private readonly DeviceSampleType sampleType;
    private readonly long dataSizeOffset;
    private readonly long riffSizeOffset = 4;
    private readonly long factOffset = -1;
    private byte[] scratch = new byte[16384];
    private long dataBytes;

    public WavWriter(string path, int sampleRate, int channels, SampleFormat format)
        : this(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), sampleRate, channels, format)
    {
    }

    public WavWriter(Stream stream, int sampleRate, int channels, SampleFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        this.stream = stream;
        this.channels = channels;
        sampleType = format switch { SampleFormat.Float32 => DeviceSampleType.Float32, SampleFormat.Pcm24 => DeviceSampleType.Int24, _ => DeviceSampleType.Int16 };
        bytesPerSample = SampleConverters.BytesPerSample(sampleType);
        var isFloat = format == SampleFormat.Float32;

        var header = new List<byte>(64);
        void Ascii(string s) { foreach (var c in s) header.Add((byte)c); }
        void U32(uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); header.AddRange(b); }
        void U16(ushort v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); header.AddRange(b); }

        Ascii("RIFF"); U32(0); Ascii("WAVE");
        Ascii("fmt "); U32(isFloat ? 18u : 16u);
        U16(isFloat ? WaveFormatIeeeFloat : WaveFormatPcm);
        U16((ushort)channels);
        U32((uint)sampleRate);
        U32((uint)(sampleRate * channels * bytesPerSample));
        U16((ushort)(channels * bytesPerSample));
        U16((ushort)(bytesPerSample * 8));
        if (isFloat)
        {
            U16(0); // cbSize: non-PCM formats carry it, and a fact chunk follows
            Ascii("fact");
            U32(4);
            factOffset = header.Count;
            U32(0);
        }
        Ascii("data");
        dataSizeOffset = header.Count;
        U32(0);
        stream.Write(header.ToArray());
    }

    private bool closed;

    public long FramesWritten => dataBytes / (bytesPerSample * channels);

    /// <summary>Appends interleaved samples (a multiple of the channel count), normalised to ±1 full scale.</summary>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        if (interleaved.Length % channels != 0)
            throw new ArgumentException("a whole number of frames is needed", nameof(interleaved));
        var bytes = interleaved.Length * bytesPerSample;
        if (dataBytes + bytes > uint.MaxValue - 64) throw new IOException("WAV files are limited to 4 GiB");
        if (scratch.Length < bytes) scratch = new byte[bytes];
        var dst = scratch.AsSpan(0, bytes);
        SampleConverters.Encode(interleaved, dst, sampleType);
        stream.Write(dst);
        dataBytes += bytes;
    }

    /// <summary>Writes the header's sizes and closes the file; once (later calls do nothing).</summary>
    public void Dispose()
    {
        if (closed) return;
        closed = true;
        if (dataBytes % 2 == 1) stream.WriteByte(0); // RIFF chunks are word-aligned
        if (stream.CanSeek)
        {
            Span<byte> b = stackalloc byte[4];
            stream.Position = dataSizeOffset;
            BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)dataBytes);
            stream.Write(b);
            if (factOffset >= 0)
            {
                stream.Position = factOffset;
                BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)FramesWritten);
                stream.Write(b);
            }
            stream.Position = riffSizeOffset;
            BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)(stream.Length - 8));
            stream.Write(b);
        }
        stream.Dispose();
    }
}

using System.Buffers.Binary;

namespace CsPyLive.Audio.Offline;

/// <summary>
/// Writes a RIFF/WAVE file of normalised float samples, interleaved, in one of <see cref="SampleFormat"/>.
/// Not real-time safe (it does I/O): the offline backend calls it directly; a live recorder calls it from a control
/// thread.
/// </summary>
/// <remarks>
/// <para>The header's sizes are written by <see cref="UpdateHeader"/> (a recorder calls it about every second, so a
/// killed process leaves a file that plays up to then) and on <see cref="Dispose"/>. A write that fails (a full disk)
/// is cut off again, so the file stays a valid WAV of everything written before it.</para>
/// <para>With <c>rf64: true</c> a JUNK chunk is reserved after the RIFF header, and past 4 GiB of data the file
/// becomes RF64 (EBU Tech 3306): "RF64", and the JUNK chunk turned into "ds64" with the 64-bit sizes. Without it (a
/// render, whose files must stay byte-plain WAV), over 4 GiB is refused.</para>
/// </remarks>
public sealed class WavWriter : IDisposable
{
    private const ushort WaveFormatPcm = 1;
    private const ushort WaveFormatIeeeFloat = 3;
    private const int Ds64Size = 28; // riffSize, dataSize, sampleCount (8 each), tableLength (4)

    private readonly Stream stream;
    private readonly int channels;
    private readonly int bytesPerSample;
    private readonly DeviceSampleType sampleType;
    private readonly long dataSizeOffset;
    private readonly long dataStart;
    private readonly long riffSizeOffset = 4;
    private readonly long factOffset = -1;
    private readonly long junkOffset = -1;
    private readonly long rf64Threshold;
    private byte[] scratch = new byte[16384];
    private long dataBytes;
    private bool closed;

    public WavWriter(string path, int sampleRate, int channels, SampleFormat format)
        : this(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), sampleRate, channels, format)
    {
    }

    /// <param name="stream">Where the file goes; seekable for the sizes to be written.</param>
    /// <param name="sampleRate">Frames a second.</param>
    /// <param name="channels">Samples a frame.</param>
    /// <param name="format">How samples are stored.</param>
    /// <param name="rf64">Reserve room to become RF64 past 4 GiB (a live recording of any length).</param>
    /// <param name="rf64Threshold">Data bytes past which the file becomes RF64 (4 GiB less the header; smaller in tests).</param>
    public WavWriter(Stream stream, int sampleRate, int channels, SampleFormat format, bool rf64 = false, long rf64Threshold = uint.MaxValue - 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        this.stream = stream;
        this.channels = channels;
        this.rf64Threshold = rf64 ? rf64Threshold : long.MaxValue;
        sampleType = format switch { SampleFormat.Float32 => DeviceSampleType.Float32, SampleFormat.Pcm24 => DeviceSampleType.Int24, _ => DeviceSampleType.Int16 };
        bytesPerSample = SampleConverters.BytesPerSample(sampleType);
        var isFloat = format == SampleFormat.Float32;

        var header = new List<byte>(100);
        void Ascii(string s) { foreach (var c in s) header.Add((byte)c); }
        void U32(uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); header.AddRange(b); }
        void U16(ushort v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); header.AddRange(b); }

        Ascii("RIFF"); U32(0); Ascii("WAVE");
        if (rf64)
        {
            junkOffset = header.Count;
            Ascii("JUNK"); U32(Ds64Size);
            for (var i = 0; i < Ds64Size; i++) header.Add(0);
        }
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
        dataStart = header.Count;
        stream.Write(header.ToArray());
    }

    public long FramesWritten => dataBytes / (bytesPerSample * channels);

    /// <summary>Whether the file has become RF64 (past 4 GiB).</summary>
    public bool IsRf64 => dataBytes > rf64Threshold;

    /// <summary>
    /// Appends interleaved samples (a multiple of the channel count), normalised to ±1 full scale. If the stream
    /// refuses them (a full disk), what it took of them is cut off again before the exception goes on: the file ends
    /// with the last whole write.
    /// </summary>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        ObjectDisposedException.ThrowIf(closed, this);
        if (interleaved.Length % channels != 0)
            throw new ArgumentException("a whole number of frames is needed", nameof(interleaved));
        var bytes = interleaved.Length * bytesPerSample;
        if (junkOffset < 0 && dataBytes + bytes > uint.MaxValue - 64)
            throw new IOException("WAV files are limited to 4 GiB");
        if (scratch.Length < bytes) scratch = new byte[bytes];
        var dst = scratch.AsSpan(0, bytes);
        SampleConverters.Encode(interleaved, dst, sampleType);
        try
        {
            stream.Write(dst);
        }
        catch (IOException)
        {
            CutBackToLastWrite();
            throw;
        }
        dataBytes += bytes;
    }

    private void CutBackToLastWrite()
    {
        try
        {
            if (!stream.CanSeek) return;
            stream.SetLength(dataStart + dataBytes); // truncating frees space: it works on a full disk
            stream.Position = dataStart + dataBytes;
        }
        catch (IOException)
        {
            // Nothing more can be done here; the header still describes only the whole writes.
        }
    }

    /// <summary>
    /// Writes the sizes of what has been written into the header and pushes it all to the disk
    /// (<paramref name="toDisk"/>: fsync), so that the file plays up to here even if the process dies.
    /// </summary>
    public void UpdateHeader(bool toDisk = false)
    {
        if (closed || !stream.CanSeek) return;
        var end = stream.Position;
        Span<byte> b = stackalloc byte[8];
        void At(long offset, ReadOnlySpan<byte> bytes)
        {
            stream.Position = offset;
            stream.Write(bytes);
        }
        var padded = dataBytes + dataBytes % 2;
        if (IsRf64)
        {
            At(0, "RF64"u8);
            BinaryPrimitives.WriteUInt32LittleEndian(b, uint.MaxValue);
            At(riffSizeOffset, b[..4]);
            At(dataSizeOffset, b[..4]);
            if (factOffset >= 0) At(factOffset, b[..4]);
            At(junkOffset, "ds64"u8);
            BinaryPrimitives.WriteInt64LittleEndian(b, dataStart - 8 + padded); // RIFF size
            At(junkOffset + 8, b);
            BinaryPrimitives.WriteInt64LittleEndian(b, dataBytes);
            At(junkOffset + 16, b);
            BinaryPrimitives.WriteInt64LittleEndian(b, FramesWritten);
            At(junkOffset + 24, b);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)dataBytes);
            At(dataSizeOffset, b[..4]);
            if (factOffset >= 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)FramesWritten);
                At(factOffset, b[..4]);
            }
            BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)(dataStart - 8 + padded));
            At(riffSizeOffset, b[..4]);
        }
        stream.Position = end;
        if (toDisk && stream is FileStream file) file.Flush(flushToDisk: true);
        else stream.Flush();
    }

    /// <summary>Writes the header's sizes and closes the file; once (later calls do nothing).</summary>
    public void Dispose()
    {
        if (closed) return;
        try
        {
            if (dataBytes % 2 == 1) stream.WriteByte(0); // RIFF chunks are word-aligned
            UpdateHeader();
        }
        finally
        {
            closed = true;
            stream.Dispose();
        }
    }
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace CsPyLive.Audio;

/// <summary>A sample as a device or a file stores it, little-endian (ASIO's ASIOSTInt16LSB ... ASIOSTFloat64LSB).</summary>
public enum DeviceSampleType : byte
{
    Int16,
    /// <summary>24-bit integer packed in 3 bytes.</summary>
    Int24,
    Int32,
    Float32,
    Float64,
}

/// <summary>
/// Normalised float samples (±1 full scale) to and from what devices and files store: the one place for scaling,
/// clipping and 24-bit packing, used by the ASIO backend and the WAV writer. Allocation-free, so the audio thread
/// may call it.
/// </summary>
/// <remarks>
/// Integers: times 2^(bits−1), rounded down, clipped at the rails, no dither, as <c>csound -s</c>/<c>-3</c> writes
/// through libsndfile (our renders match its files within one LSB). Read back: divided by 2^(bits−1), so full
/// negative scale is exactly −1. Floats are not clipped (a float device or file carries overs).
/// </remarks>
public static unsafe class SampleConverters
{
    public static int BytesPerSample(DeviceSampleType type) => type switch
    {
        DeviceSampleType.Int16 => 2,
        DeviceSampleType.Int24 => 3,
        DeviceSampleType.Int32 or DeviceSampleType.Float32 => 4,
        _ => 8,
    };

    /// <summary>A sample scaled to an integer of <paramref name="bits"/> bits, clipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ToInt(float sample, int bits)
    {
        var fullScale = (1L << (bits - 1)) - 1;
        var scaled = Math.Floor((double)sample * (fullScale + 1.0));
        if (scaled >= fullScale) return (int)fullScale;
        if (scaled <= -fullScale - 1) return (int)(-fullScale - 1);
        return (int)scaled;
    }

    /// <summary>Writes one sample at <paramref name="p"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(float sample, byte* p, DeviceSampleType type)
    {
        switch (type)
        {
            case DeviceSampleType.Int16:
                BinaryPrimitives.WriteInt16LittleEndian(new Span<byte>(p, 2), (short)ToInt(sample, 16));
                break;
            case DeviceSampleType.Int24:
                var v = ToInt(sample, 24);
                p[0] = (byte)v;
                p[1] = (byte)(v >> 8);
                p[2] = (byte)(v >> 16);
                break;
            case DeviceSampleType.Int32:
                BinaryPrimitives.WriteInt32LittleEndian(new Span<byte>(p, 4), ToInt(sample, 32));
                break;
            case DeviceSampleType.Float32:
                BinaryPrimitives.WriteSingleLittleEndian(new Span<byte>(p, 4), sample);
                break;
            default:
                BinaryPrimitives.WriteDoubleLittleEndian(new Span<byte>(p, 8), sample);
                break;
        }
    }

    /// <summary>Reads one sample at <paramref name="p"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Read(byte* p, DeviceSampleType type) => type switch
    {
        DeviceSampleType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(new ReadOnlySpan<byte>(p, 2)) / 32768f,
        DeviceSampleType.Int24 => ((p[0] | (p[1] << 8) | (p[2] << 16)) << 8 >> 8) / 8388608f,
        DeviceSampleType.Int32 => (float)(BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(p, 4)) / 2147483648.0),
        DeviceSampleType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(new ReadOnlySpan<byte>(p, 4)),
        _ => (float)BinaryPrimitives.ReadDoubleLittleEndian(new ReadOnlySpan<byte>(p, 8)),
    };

    /// <summary>Interleaved samples to interleaved bytes (a WAV file's data).</summary>
    public static void Encode(ReadOnlySpan<float> samples, Span<byte> destination, DeviceSampleType type)
    {
        if (destination.Length < samples.Length * BytesPerSample(type)) throw new ArgumentException("destination too small", nameof(destination));
        fixed (float* s = samples)
        fixed (byte* d = destination)
            Store(s, 1, samples.Length, d, type);
    }

    /// <summary>Channel <paramref name="channel"/> of interleaved samples into a buffer of that channel alone (ASIO's layout).</summary>
    public static void Deinterleave(ReadOnlySpan<float> interleaved, int channel, int channels, int frames, byte* destination, DeviceSampleType type)
    {
        if (frames > 0 && (frames - 1) * channels + channel >= interleaved.Length) throw new ArgumentException("not enough frames", nameof(interleaved));
        fixed (float* s = interleaved) Store(s + channel, channels, frames, destination, type);
    }

    /// <summary>A buffer of one channel into channel <paramref name="channel"/> of interleaved samples.</summary>
    public static void Interleave(byte* source, DeviceSampleType type, int frames, Span<float> interleaved, int channel, int channels)
    {
        if (frames > 0 && (frames - 1) * channels + channel >= interleaved.Length) throw new ArgumentException("not enough frames", nameof(interleaved));
        var size = BytesPerSample(type);
        fixed (float* d = interleaved)
            for (var i = 0; i < frames; i++) d[i * channels + channel] = Read(source + i * size, type);
    }

    /// <summary><paramref name="count"/> samples, <paramref name="stride"/> apart, into consecutive device samples; one loop per type.</summary>
    private static void Store(float* source, int stride, int count, byte* destination, DeviceSampleType type)
    {
        switch (type)
        {
            case DeviceSampleType.Float32:
                for (var i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(new Span<byte>(destination + 4 * i, 4), source[i * stride]);
                break;
            case DeviceSampleType.Float64:
                for (var i = 0; i < count; i++) BinaryPrimitives.WriteDoubleLittleEndian(new Span<byte>(destination + 8 * i, 8), source[i * stride]);
                break;
            case DeviceSampleType.Int32:
                for (var i = 0; i < count; i++) BinaryPrimitives.WriteInt32LittleEndian(new Span<byte>(destination + 4 * i, 4), ToInt(source[i * stride], 32));
                break;
            case DeviceSampleType.Int16:
                for (var i = 0; i < count; i++) BinaryPrimitives.WriteInt16LittleEndian(new Span<byte>(destination + 2 * i, 2), (short)ToInt(source[i * stride], 16));
                break;
            default:
                for (var i = 0; i < count; i++)
                {
                    var v = ToInt(source[i * stride], 24);
                    var p = destination + 3 * i;
                    p[0] = (byte)v;
                    p[1] = (byte)(v >> 8);
                    p[2] = (byte)(v >> 16);
                }
                break;
        }
    }
}

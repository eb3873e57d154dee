using System.Buffers.Binary;
using CsPyLive.Audio;

namespace CsPyLive.Tests.Audio;

/// <summary>Float samples to and from what devices and files store, against values worked out by hand.</summary>
public sealed unsafe class SampleConverterTests
{
    private static byte[] Encode(float sample, DeviceSampleType type)
    {
        var bytes = new byte[SampleConverters.BytesPerSample(type)];
        SampleConverters.Encode([sample], bytes, type);
        return bytes;
    }

    [Theory]
    [InlineData(0.5f, 16384)]
    [InlineData(0.25f, 8192)]
    [InlineData(-1f, -32768)]
    [InlineData(1f, 32767)]          // full positive scale clips one LSB short, as csound -s writes it
    [InlineData(1.5f, 32767)]        // overs clip at the rails
    [InlineData(-7f, -32768)]
    [InlineData(-0.000001f, -1)]     // rounded down, never dithered
    [InlineData(0.00003f, 0)]
    public void Int16_scales_by_2_to_the_15_rounds_down_and_clips(float sample, int expected) =>
        Assert.Equal(expected, BinaryPrimitives.ReadInt16LittleEndian(Encode(sample, DeviceSampleType.Int16)));

    [Theory]
    [InlineData(0.5f, new byte[] { 0x00, 0x00, 0x40 })]
    [InlineData(-0.5f, new byte[] { 0x00, 0x00, 0xC0 })]
    [InlineData(1f, new byte[] { 0xFF, 0xFF, 0x7F })]
    [InlineData(-1f, new byte[] { 0x00, 0x00, 0x80 })]
    [InlineData(2f, new byte[] { 0xFF, 0xFF, 0x7F })]
    [InlineData(0.000000119f, new byte[] { 0x00, 0x00, 0x00 })]  // below one 24-bit step (1/8388608): 0
    [InlineData(0.25f + 1f / 8388608, new byte[] { 0x01, 0x00, 0x20 })]
    public void Int24_packs_three_little_endian_bytes(float sample, byte[] expected) =>
        Assert.Equal(expected, Encode(sample, DeviceSampleType.Int24));

    [Theory]
    [InlineData(0.5f, 1073741824)]
    [InlineData(-1f, int.MinValue)]
    [InlineData(1f, int.MaxValue)]
    [InlineData(-3f, int.MinValue)]
    public void Int32_scales_by_2_to_the_31_and_clips(float sample, int expected) =>
        Assert.Equal(expected, BinaryPrimitives.ReadInt32LittleEndian(Encode(sample, DeviceSampleType.Int32)));

    [Fact]
    public void Floats_are_not_clipped()
    {
        Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(Encode(1.5f, DeviceSampleType.Float32)));
        Assert.Equal((double)0.1f, BinaryPrimitives.ReadDoubleLittleEndian(Encode(0.1f, DeviceSampleType.Float64)));
        Assert.Equal((double)-2.25f, BinaryPrimitives.ReadDoubleLittleEndian(Encode(-2.25f, DeviceSampleType.Float64)));
    }

    [Theory]
    [InlineData(DeviceSampleType.Int16, new byte[] { 0x00, 0x80 }, -1f)]
    [InlineData(DeviceSampleType.Int16, new byte[] { 0x00, 0x40 }, 0.5f)]
    [InlineData(DeviceSampleType.Int24, new byte[] { 0x00, 0x00, 0x80 }, -1f)]
    [InlineData(DeviceSampleType.Int24, new byte[] { 0x00, 0x00, 0x40 }, 0.5f)]
    [InlineData(DeviceSampleType.Int24, new byte[] { 0xFF, 0xFF, 0xFF }, -1f / 8388608)]
    [InlineData(DeviceSampleType.Int32, new byte[] { 0x00, 0x00, 0x00, 0xC0 }, -0.5f)]
    public void Integers_read_back_over_2_to_the_bits_minus_1(DeviceSampleType type, byte[] bytes, float expected) =>
        Assert.Equal(expected, ReadFirst(bytes, type));

    private static float ReadFirst(byte[] bytes, DeviceSampleType type)
    {
        fixed (byte* p = bytes) return SampleConverters.Read(p, type);
    }

    [Theory]
    [InlineData(DeviceSampleType.Int16)]
    [InlineData(DeviceSampleType.Int24)]
    [InlineData(DeviceSampleType.Int32)]
    [InlineData(DeviceSampleType.Float32)]
    [InlineData(DeviceSampleType.Float64)]
    public void One_channel_of_an_interleaved_block_goes_to_its_own_buffer_and_back(DeviceSampleType type)
    {
        // Three channels, four frames: channel c of frame i holds (c + 1) / 8 - i / 16.
        const int channels = 3, frames = 4;
        var interleaved = new float[channels * frames];
        for (var i = 0; i < frames; i++)
            for (var c = 0; c < channels; c++) interleaved[i * channels + c] = (c + 1) / 8f - i / 16f;
        var size = SampleConverters.BytesPerSample(type);
        var buffer = new byte[frames * size];
        var back = new float[channels * frames];
        fixed (byte* p = buffer)
        {
            SampleConverters.Deinterleave(interleaved, 1, channels, frames, p, type);
            SampleConverters.Interleave(p, type, frames, back, 2, channels);
        }
        for (var i = 0; i < frames; i++)
        {
            Assert.Equal(interleaved[i * channels + 1], back[i * channels + 2]); // exact: these values sit on every grid
            Assert.Equal(0f, back[i * channels]);                               // other channels untouched
        }
    }

    [Fact]
    public void Converting_allocates_nothing()
    {
        var interleaved = new float[2 * 512];
        var buffer = new byte[512 * 8];
        var types = Enum.GetValues<DeviceSampleType>();
        void Run()
        {
            fixed (byte* p = buffer)
                foreach (var t in types)
                {
                    SampleConverters.Deinterleave(interleaved, 1, 2, 512, p, t);
                    SampleConverters.Interleave(p, t, 512, interleaved, 0, 2);
                }
        }
        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

using System.Buffers.Binary;
using CsPyLive.Audio;
using CsPyLive.Audio.Asio;
using CsPyLive.Tests.Support;
using NAudio.Wave.Asio;

namespace CsPyLive.Tests.Audio;

/// <summary>
/// The ASIO backend's callback path, driven by a simulated driver that raises NAudio's AudioAvailable over
/// unmanaged buffers of each sample type (no Windows here, no ASIO hardware).
/// </summary>
public sealed unsafe class AsioBackendTests
{
    /// <summary>What the driver's buffer holds at frame <paramref name="i"/>, read independently of our converters.</summary>
    private static double Sample(nint buffer, AsioSampleType type, int i)
    {
        var p = (byte*)buffer;
        return type switch
        {
            AsioSampleType.Int16LSB => BinaryPrimitives.ReadInt16LittleEndian(new ReadOnlySpan<byte>(p + 2 * i, 2)) / 32768.0,
            AsioSampleType.Int24LSB => (sbyte)p[3 * i + 2] * 65536.0 / 8388608 + (p[3 * i + 1] * 256 + p[3 * i]) / 8388608.0,
            AsioSampleType.Int32LSB => BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(p + 4 * i, 4)) / 2147483648.0,
            AsioSampleType.Float32LSB => BinaryPrimitives.ReadSingleLittleEndian(new ReadOnlySpan<byte>(p + 4 * i, 4)),
            _ => BinaryPrimitives.ReadDoubleLittleEndian(new ReadOnlySpan<byte>(p + 8 * i, 8)),
        };
    }

    [Theory]
    [InlineData(AsioSampleType.Int16LSB)]
    [InlineData(AsioSampleType.Int24LSB)]
    [InlineData(AsioSampleType.Int32LSB)]
    [InlineData(AsioSampleType.Float32LSB)]
    [InlineData(AsioSampleType.Float64LSB)]
    public void The_engine_writes_straight_into_the_drivers_buffers_in_its_sample_type(AsioSampleType type)
    {
        const int frames = 64;
        using var driver = new SimulatedAsioDriver(type, outputChannels: 2, inputChannels: 1, frames);
        // The input carries a ramp; the callback plays it on the left and a constant on the right.
        for (var i = 0; i < frames; i++) SampleConverters.Write(i / 128f, (byte*)driver.Inputs[0] + i * SampleConverters.BytesPerSample(AsioAudioBackend.TryTypeOf(type, out var t) ? t : default), t);
        var callback = new TestCallback((in AudioBuffers b) =>
        {
            for (var i = 0; i < b.Frames; i++)
            {
                b.Output[2 * i] = b.Input[i];
                b.Output[2 * i + 1] = -0.25f;
            }
        });
        using var backend = new AsioAudioBackend(48000, 2, 1, () => driver);
        Assert.Equal(frames, backend.PeriodFrames);
        backend.Start(callback);
        driver.BufferSwitch();

        Assert.True(driver.WrittenToOutputBuffers); // NAudio must not fill them from its own source
        for (var i = 0; i < frames; i++)
        {
            Assert.Equal(i / 128.0, Sample(driver.Outputs[0], type, i), 9);
            Assert.Equal(-0.25, Sample(driver.Outputs[1], type, i), 9);
        }
        Assert.Equal(1, backend.Callbacks);
    }

    [Fact]
    public void Its_handler_allocates_nothing()
    {
        using var driver = new SimulatedAsioDriver(AsioSampleType.Int32LSB, 2, 2, 256);
        long seen = 0;
        using var backend = new AsioAudioBackend(48000, 2, 2, () => driver);
        backend.Start(new TestCallback((in AudioBuffers b) => { b.Output.Fill(0.5f); seen += b.Input.Length; }));
        for (var i = 0; i < 100; i++) driver.BufferSwitch();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 2000; i++) driver.BufferSwitch();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2100 * 2 * 256, seen);
    }

    [Fact]
    public void A_reset_request_counts_as_an_xrun_and_the_driver_is_opened_again_for_the_same_callback()
    {
        var opened = new List<SimulatedAsioDriver>();
        var log = new List<string>();
        SimulatedAsioDriver Open()
        {
            var d = new SimulatedAsioDriver(AsioSampleType.Float32LSB, 2, 0, 128);
            lock (opened) opened.Add(d);
            return d;
        }
        long periods = 0;
        var callback = new TestCallback((in AudioBuffers b) => { b.Output.Clear(); periods++; });
        using (var backend = new AsioAudioBackend(48000, 2, 0, Open, line => { lock (log) log.Add(line); }))
        {
            backend.Start(callback);
            opened[0].BufferSwitch();
            opened[0].RequestReset();
            Assert.True(Wait.Until(() => backend.Resets == 1, TimeSpan.FromSeconds(10)), string.Join('\n', log));
            Assert.Equal(1, backend.Xruns);
            Assert.True(opened[0].Disposed); // closed before it was opened again
            Assert.True(opened[1].Started);
            Assert.Equal((2, 1, 1), (callback.Starts, callback.Restarts, callback.Stops));
            opened[1].BufferSwitch();
            Assert.Equal(2, periods);
        }
        Assert.Equal(2, callback.Stops);
        Assert.Contains(log, l => l.Contains("asked to be reset"));
        foreach (var d in opened) d.Dispose();
    }

    [Fact]
    public void Off_windows_asking_for_asio_is_one_line_that_says_it_needs_windows()
    {
        Assert.False(OperatingSystem.IsWindows()); // this test runs where ASIO cannot
        var result = ProcessRunner.CsPyLive("play", Path.Combine(TestData.RepoRoot, "patches", "hello"), "--audio", "asio", "--duration", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("cspylive: command line: --audio: asio needs Windows (ASIO drivers exist only there); here use jack or portaudio",
            result.StdErr.Trim());
    }

    [Fact]
    public void A_driver_at_another_rate_is_refused_with_both_rates()
    {
        using var driver = new SimulatedAsioDriver(AsioSampleType.Int24LSB, 2, 0, 256, rate: 44100);
        var e = Assert.Throws<AudioDeviceException>(() => new AsioAudioBackend(48000, 2, 0, () => driver));
        Assert.Contains("48000 Hz", e.Message);
        Assert.Contains("44100 Hz", e.Message);
    }
}

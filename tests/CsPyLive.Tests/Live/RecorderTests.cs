using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using CsPyLive.Audio.Offline;
using CsPyLive.Live;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Live;

/// <summary>The show is never lost to its recording: a full disk, a killed process, a take past 4 GiB.</summary>
public sealed class RecorderTests
{
    /// <summary>A file that takes <paramref name="room"/> bytes, then half of the next write, then fails as a full disk does.</summary>
    private sealed class FillingStream(Stream inner, long room) : Stream
    {
        private long written;
        public override bool CanRead => false;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (inner.Position < written) { inner.Write(buffer); return; } // rewriting the header in place takes no room
            if (written + buffer.Length > room)
            {
                inner.Write(buffer[..(buffer.Length / 2)]); // write(2) may take part of it before ENOSPC
                throw new IOException("No space left on device");
            }
            inner.Write(buffer);
            written += buffer.Length;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    [Fact]
    public void A_full_disk_stops_the_recording_once_and_leaves_a_valid_file_of_what_was_written()
    {
        using var dir = new TempDir();
        var path = dir.File("take.wav");
        var said = new List<string>();
        var stream = new FillingStream(new FileStream(path, FileMode.Create, FileAccess.ReadWrite), room: 100_000);
        var recorder = new Recorder(stream, path, 48000, 2, SampleFormat.Float32, null, said.Add);
        var period = Enumerable.Range(0, 256 * 2).Select(i => (float)Math.Sin(i / 10.0) * 0.5f).ToArray();
        for (var p = 0; p < 400; p++) // ~800 KB offered; the disk takes ~100 KB
        {
            recorder.Capture(period);
            recorder.Pump(); // never throws: the show goes on
        }
        recorder.Dispose();
        Assert.NotNull(recorder.Failure);
        Assert.Single(said); // said once, not once per chunk
        Assert.Contains("No space left on device. The show goes on", said[0]);
        var wav = WavFile.Read(path);
        Assert.Equal(recorder.FramesWritten, wav.Frames);
        Assert.InRange(wav.Frames, 1, 100_000 / 8);
        Assert.Equal(new FileInfo(path).Length, 94 + wav.Frames * 8L); // header (with the RF64 reserve) + whole frames: the half write was cut off
        Assert.Equal(period[10], wav.Samples[10], 6);
    }

    [Fact]
    public void Past_the_threshold_the_file_becomes_rf64_with_64_bit_sizes()
    {
        using var dir = new TempDir();
        var path = dir.File("long.wav");
        var recorder = new Recorder(new FileStream(path, FileMode.Create, FileAccess.ReadWrite), path, 48000, 2, SampleFormat.Float32,
            null, null, rf64Threshold: 64 * 1024);
        var period = new float[4096 * 2];
        for (var p = 0; p < 5; p++) { recorder.Capture(period); recorder.Pump(); } // 160 KiB of data
        recorder.Dispose();
        var d = File.ReadAllBytes(path);
        Assert.Equal("RF64", Encoding.ASCII.GetString(d, 0, 4));
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(4)));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(d, 8, 4));
        Assert.Equal("ds64", Encoding.ASCII.GetString(d, 12, 4));
        Assert.Equal(d.Length - 8L, BinaryPrimitives.ReadInt64LittleEndian(d.AsSpan(20)));   // RIFF size
        Assert.Equal(5 * 4096 * 8L, BinaryPrimitives.ReadInt64LittleEndian(d.AsSpan(28)));  // data size
        Assert.Equal(5 * 4096L, BinaryPrimitives.ReadInt64LittleEndian(d.AsSpan(36)));      // sample frames
        var data = d.AsSpan().IndexOf("data"u8);
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(data + 4)));
    }

    [Fact]
    public void Kill_9_leaves_a_file_that_plays_up_to_the_last_second()
    {
        using var dir = new TempDir();
        using var play = BackgroundProcess.CsPyLive(null, "play", Path.Combine(TestData.RepoRoot, "patches", "hello"), "--audio", "null",
            "--duration", "60", "--record", dir.File("take.wav"), "--no-tui");
        Assert.True(play.WaitForStdErr("Ctrl+C stops", TimeSpan.FromSeconds(60)), play.StdErr);
        Thread.Sleep(2600);
        play.Signal("KILL"); // no chance to close anything
        Assert.True(Wait.Until(() => play.HasExited, TimeSpan.FromSeconds(10)));
        var take = WavFile.Read(dir.File("take.wav"));
        Assert.InRange(take.Frames, 48000, 3 * 48000); // the header was last rewritten within the last second
        Assert.True(take.Peak > 0.01);
    }

    [Fact]
    public void Play_goes_on_when_the_disk_it_records_to_fills_up()
    {
        using var dir = new TempDir();
        var small = dir.File("small");
        Directory.CreateDirectory(small);
        var mount = ProcessRunner.Run("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", small]);
        Assert.True(mount.ExitCode == 0, "this test mounts a 512 KiB tmpfs (needs root): " + mount.Output);
        try
        {
            var result = ProcessRunner.CsPyLive("play", Path.Combine(TestData.RepoRoot, "patches", "hello"), "--audio", "null",
                "--duration", "3", "--record", Path.Combine(small, "take.wav"), "--stats", dir.File("stats.json"), "--no-tui");
            Assert.True(result.ExitCode == 0, result.Output); // before: exit 1, no stats, a header of 0 frames
            Assert.Contains("stopped: No space left on device. The show goes on", result.StdErr);
            using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
            Assert.InRange(stats.RootElement.GetProperty("seconds_played").GetDouble(), 3, 3.2); // the whole show played
            var take = WavFile.Read(Path.Combine(small, "take.wav"));
            Assert.InRange(take.Frames, 48000 / 4, 512 * 1024 / 8);
            Assert.Equal(new FileInfo(Path.Combine(small, "take.wav")).Length, 94 + take.Frames * 8L);
        }
        finally
        {
            ProcessRunner.Run("umount", [small]);
        }
    }
}

using System.Runtime.CompilerServices;

namespace CsPyLive.Csound;

/// <summary>
/// Adapts the backend's blocks (any number of frames) to Csound's k-cycles (ksmps frames): output is handed out of
/// spout as far as the current k-cycle goes and the rest carried to the next block; input goes the other way through
/// a small FIFO, with a constant delay of one k-cycle when blocks and k-cycles do not line up.
/// </summary>
/// <remarks>Performing thread only, after <see cref="Engine.Start"/>. Allocation-free. A struct held in a field of
/// <see cref="Engine"/> and used there in place, so the block loop touches no object beside the engine's.</remarks>
internal unsafe struct BlockAdapter
{
    private readonly Engine engine;
    private readonly double* spout;
    private readonly double* spin;
    private readonly int ksmps;
    private readonly int outputChannels;
    private readonly int inputChannels;
    private readonly double outputScale;
    private readonly double inputScale;
    private readonly float[] inputFifo;
    private int spoutFrame;          // frames of the current k-cycle already handed out; == ksmps when used up
    private int inputFifoStart;      // first frame not yet handed to Csound
    private int inputFifoFrames;     // frames held from inputFifoStart on
    private bool inputPrimed;
    private bool spinSilent;         // spin holds zeros and nothing was pulled since

    public BlockAdapter(Engine engine, double* spout, double* spin)
    {
        this.engine = engine;
        this.spout = spout;
        this.spin = spin;
        ksmps = engine.Ksmps;
        outputChannels = engine.OutputChannels;
        inputChannels = engine.InputChannels;
        outputScale = 1.0 / engine.ZeroDbfs;
        inputScale = engine.ZeroDbfs;
        spoutFrame = ksmps;
        inputFifo = new float[(Engine.MaxBlockFrames + 2 * ksmps) * Math.Max(1, inputChannels)];
    }

    /// <summary>Frames of the current k-cycle not handed out yet.</summary>
    public readonly int FramesLeftInKCycle => ksmps - spoutFrame;

    /// <summary>A new k-cycle was performed: its spout is whole again.</summary>
    public void KCyclePerformed() => spoutFrame = 0;

    /// <summary>See <see cref="Engine.Process"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    public int Process(Span<float> output, ReadOnlySpan<float> input, int frames)
    {
        var done = 0;
        while (done < frames)
        {
            var n = Math.Min(frames - done, Engine.MaxBlockFrames);
            var outSlice = output.Slice(done * outputChannels, n * outputChannels);
            var inSlice = input.IsEmpty ? input : input.Slice(done * inputChannels, n * inputChannels);
            var produced = ProcessBlock(outSlice, inSlice, n);
            done += produced;
            if (produced < n)
            {
                output[(done * outputChannels)..(frames * outputChannels)].Clear();
                break;
            }
        }
        return done;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    private int ProcessBlock(Span<float> output, ReadOnlySpan<float> input, int frames)
    {
        PushInput(input, frames);
        var produced = 0;
        var channels = outputChannels;
        var scale = outputScale;
        while (produced < frames)
        {
            if (spoutFrame == ksmps)
            {
                if (engine.Finished || !engine.PerformKCycle()) break;
            }
            var n = Math.Min(frames - produced, ksmps - spoutFrame);
            var src = new ReadOnlySpan<double>(spout + spoutFrame * channels, n * channels);
            var dst = output.Slice(produced * channels, n * channels);
            for (var i = 0; i < src.Length; i++) dst[i] = (float)(src[i] * scale);
            spoutFrame += n;
            produced += n;
        }
        return produced;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    private void PushInput(ReadOnlySpan<float> input, int frames)
    {
        if (inputChannels == 0) return;
        var channels = inputChannels;
        if (!inputPrimed)
        {
            // Blocks that do not line up with k-cycles need one k-cycle of input in hand: a constant delay.
            inputFifoFrames = frames % ksmps == 0 ? 0 : ksmps;
            inputFifo.AsSpan(0, inputFifoFrames * channels).Clear();
            inputPrimed = true;
        }
        if (input.IsEmpty && inputFifoFrames == 0) return; // no input device: PullInput keeps spin at zero
        var capacity = inputFifo.Length / channels;
        if (inputFifoStart + inputFifoFrames + frames > capacity)
        {
            // Move the few frames still held to the front: once per block at most, instead of once per k-cycle.
            inputFifo.AsSpan(inputFifoStart * channels, inputFifoFrames * channels).CopyTo(inputFifo);
            inputFifoStart = 0;
        }
        var n = Math.Min(frames, capacity - inputFifoStart - inputFifoFrames);
        var dst = inputFifo.AsSpan((inputFifoStart + inputFifoFrames) * channels, n * channels);
        if (input.IsEmpty) dst.Clear();
        else input[..(n * channels)].CopyTo(dst);
        inputFifoFrames += n;
    }

    /// <summary>Fills Csound's spin for the k-cycle about to be performed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    public void PullInput()
    {
        if (inputChannels == 0) return;
        var channels = inputChannels;
        var n = Math.Min(ksmps, inputFifoFrames);
        if (n == 0)
        {
            // Silence: clear spin once, not every k-cycle (Csound never writes it). Saves touching cold memory.
            if (!spinSilent) new Span<double>(spin, ksmps * channels).Clear();
            spinSilent = true;
            return;
        }
        spinSilent = false;
        var src = inputFifo.AsSpan(inputFifoStart * channels, n * channels);
        var dst = new Span<double>(spin, ksmps * channels);
        var scale = inputScale;
        for (var i = 0; i < src.Length; i++) dst[i] = src[i] * scale;
        dst[src.Length..].Clear();
        inputFifoStart += n;
        inputFifoFrames -= n;
        if (inputFifoFrames == 0) inputFifoStart = 0;
    }
}

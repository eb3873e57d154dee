using System.Buffers.Binary;
using System.Text;

namespace CsPyLive.Tests.Support;

/// <summary>A WAV file read back for comparison: format, and every sample as a double in file units.</summary>
public sealed record WavFile(int FormatTag, int Channels, int SampleRate, int BitsPerSample, double[] Samples)
{
    public int Frames => Samples.Length / Channels;

    public static WavFile Read(string path)
    {
        var d = File.ReadAllBytes(path);
        if (Encoding.ASCII.GetString(d, 0, 4) != "RIFF" || Encoding.ASCII.GetString(d, 8, 4) != "WAVE")
            throw new InvalidDataException($"{path}: not a RIFF/WAVE file");
        int tag = 0, channels = 0, rate = 0, bits = 0;
        var pos = 12;
        while (pos + 8 <= d.Length)
        {
            var id = Encoding.ASCII.GetString(d, pos, 4);
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(pos + 4));
            var body = d.AsSpan(pos + 8, Math.Min(size, d.Length - pos - 8));
            if (id == "fmt ")
            {
                tag = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
                if (tag == 0xFFFE) tag = BinaryPrimitives.ReadUInt16LittleEndian(body[24..]); // WAVE_FORMAT_EXTENSIBLE
            }
            else if (id == "data")
            {
                var bytesPer = bits / 8;
                var samples = new double[body.Length / bytesPer];
                for (var i = 0; i < samples.Length; i++)
                {
                    var s = body[(i * bytesPer)..];
                    samples[i] = (tag, bits) switch
                    {
                        (3, 32) => BinaryPrimitives.ReadSingleLittleEndian(s),
                        (3, 64) => BinaryPrimitives.ReadDoubleLittleEndian(s),
                        (1, 16) => BinaryPrimitives.ReadInt16LittleEndian(s),
                        (1, 24) => (s[0] | (s[1] << 8) | ((sbyte)s[2] << 16)),
                        (1, 32) => BinaryPrimitives.ReadInt32LittleEndian(s),
                        _ => throw new InvalidDataException($"{path}: format {tag}/{bits} bits not handled"),
                    };
                }
                return new WavFile(tag, channels, rate, bits, samples);
            }
            pos += 8 + size + (size & 1);
        }
        throw new InvalidDataException($"{path}: no data chunk");
    }

    public double Peak => Samples.Length == 0 ? 0 : Samples.Max(Math.Abs);
}

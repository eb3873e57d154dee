using System.Text;

namespace CsPyLive.Cli.Dashboard;

/// <summary>How a cell is drawn.</summary>
internal enum Style : byte { Normal, Dim, Bold, Green, Yellow, Red, Title, Cyan }

/// <summary>
/// A terminal screen drawn as curses does: the view writes cells into a back buffer, and <see cref="Flush"/> sends
/// only the cells that changed since the last frame, as cursor moves, colours and UTF-8, in one write. Buffers are
/// made at start and on a resize, so a frame allocates nothing (measured: ADR 0017).
/// </summary>
internal sealed class Screen(Stream terminal)
{
    private record struct Cell(char Char, Style Style);

    private static readonly byte[][] Sgr =
    [
        "\e[0m"u8.ToArray(), "\e[0;2m"u8.ToArray(), "\e[0;1m"u8.ToArray(), "\e[0;32m"u8.ToArray(),
        "\e[0;33m"u8.ToArray(), "\e[0;1;31m"u8.ToArray(), "\e[0;7m"u8.ToArray(), "\e[0;36m"u8.ToArray(),
    ];

    private Cell[] front = [];
    private Cell[] back = [];
    private byte[] output = [];
    private bool full = true;

    public int Width { get; private set; }
    public int Height { get; private set; }

    /// <summary>Takes the terminal: the alternate screen, no cursor.</summary>
    public void Enter() => terminal.Write("\e[?1049h\e[?25l\e[2J"u8);

    /// <summary>Gives it back as it was.</summary>
    public void Leave()
    {
        terminal.Write("\e[0m\e[?25h\e[?1049l"u8);
        terminal.Flush();
    }

    /// <summary>Starts a frame of <paramref name="width"/> × <paramref name="height"/>, blank; a new size redraws everything.</summary>
    public void Begin(int width, int height)
    {
        width = Math.Max(1, width);
        height = Math.Max(1, height);
        if (width != Width || height != Height)
        {
            (Width, Height) = (width, height);
            front = new Cell[width * height];
            back = new Cell[width * height];
            output = new byte[width * height * 16 + 64];
            full = true;
        }
        back.AsSpan().Fill(new Cell(' ', Style.Normal));
    }

    /// <summary>Writes <paramref name="text"/> at column <paramref name="x"/> of row <paramref name="y"/>, cut at the edge; returns the column after it.</summary>
    public int Put(int x, int y, ReadOnlySpan<char> text, Style style = Style.Normal)
    {
        if (y < 0 || y >= Height) return x + text.Length;
        for (var i = 0; i < text.Length; i++)
        {
            var col = x + i;
            if (col < 0) continue;
            if (col >= Width) break;
            back[y * Width + col] = new Cell(text[i] < ' ' ? ' ' : text[i], style);
        }
        return x + text.Length;
    }

    /// <summary>A number, formatted without allocating (<paramref name="format"/> a constant such as "0.0").</summary>
    public int Put(int x, int y, double value, string format, Style style = Style.Normal)
    {
        Span<char> digits = stackalloc char[32];
        if (double.IsNegativeInfinity(value)) return Put(x, y, "-inf", style);
        return value.TryFormat(digits, out var n, format, System.Globalization.CultureInfo.InvariantCulture) ? Put(x, y, digits[..n], style) : x;
    }

    public int Put(int x, int y, long value, Style style = Style.Normal)
    {
        Span<char> digits = stackalloc char[24];
        return value.TryFormat(digits, out var n, default, System.Globalization.CultureInfo.InvariantCulture) ? Put(x, y, digits[..n], style) : x;
    }

    /// <summary>Fills a row from <paramref name="x"/> to the edge with the style (a title bar).</summary>
    public void Bar(int y, Style style)
    {
        if (y < 0 || y >= Height) return;
        for (var col = 0; col < Width; col++) back[y * Width + col] = back[y * Width + col] with { Style = style };
    }

    /// <summary>Sends what changed, in one write.</summary>
    public void Flush()
    {
        var n = 0;
        var style = (Style)255;
        var cursor = -1;
        for (var i = 0; i < back.Length; i++)
        {
            var cell = back[i];
            if (!full && cell == front[i]) continue;
            if (cursor != i)
            {
                n += Move(output.AsSpan(n), i / Width + 1, i % Width + 1);
            }
            if (cell.Style != style)
            {
                Sgr[(int)cell.Style].CopyTo(output, n);
                n += Sgr[(int)cell.Style].Length;
                style = cell.Style;
            }
            var c = cell.Char;
            n += Encoding.UTF8.GetBytes(new ReadOnlySpan<char>(in c), output.AsSpan(n));
            cursor = i + 1;
            front[i] = cell;
        }
        full = false;
        if (n == 0) return;
        terminal.Write(output, 0, n);
        terminal.Flush();
    }

    private static int Move(Span<byte> to, int row, int column)
    {
        var n = 0;
        to[n++] = 0x1b;
        to[n++] = (byte)'[';
        row.TryFormat(to[n..], out var a);
        n += a;
        to[n++] = (byte)';';
        column.TryFormat(to[n..], out var b);
        n += b;
        to[n++] = (byte)'H';
        return n;
    }
}

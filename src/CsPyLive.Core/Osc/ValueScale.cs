namespace CsPyLive.Osc;

/// <summary>Maps a controller's value to the target's range: clamped to the input range, then linear or exponential.</summary>
public readonly record struct ValueScale(double InLow, double InHigh, double OutLow, double OutHigh, bool Exponential)
{
    public static ValueScale? From(OscRouteConfig route) => route.Scale is { } s
        ? new ValueScale(s[0], s[1], s[2], s[3], route.Curve == "exp")
        : null;

    /// <summary>The input clamped to [InLow, InHigh] (in either order): what feedback sends back.</summary>
    public double Clamp(double value) => Math.Clamp(value, Math.Min(InLow, InHigh), Math.Max(InLow, InHigh));

    public double Apply(double value)
    {
        var t = InHigh == InLow ? 0 : (Clamp(value) - InLow) / (InHigh - InLow);
        return Exponential ? OutLow * Math.Pow(OutHigh / OutLow, t) : OutLow + t * (OutHigh - OutLow);
    }
}

namespace CsPyLive.Osc;

/// <summary>Why a packet was rejected. Packets are validated whole before any message in them is delivered.</summary>
public enum OscError : byte
{
    None,
    /// <summary>Empty, or its size is not a multiple of 4.</summary>
    BadSize,
    /// <summary>The address is not a NUL-terminated string starting with '/'.</summary>
    BadAddress,
    /// <summary>The type tag string is missing its ',' or its NUL.</summary>
    BadTypeTags,
    /// <summary>A type tag this codec does not know.</summary>
    UnknownType,
    /// <summary>An argument runs past the end of the packet, or bytes are left over after the last one.</summary>
    Truncated,
    /// <summary>Unbalanced '[' ']' in the type tags, or arrays nested too deep.</summary>
    BadArray,
    /// <summary>A bundle's header, an element's size or its alignment is wrong.</summary>
    BadBundle,
    /// <summary>Bundles nested deeper than <see cref="OscDecoder.MaxBundleDepth"/>.</summary>
    TooDeep,
}

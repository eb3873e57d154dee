using System.Runtime.InteropServices;

namespace CsPyLive.Audio.PortAudio.Interop;

/// <summary>
/// The raw PortAudio v19 C API (portaudio.h, pa_jack.h), names kept so the headers can be grepped. Type mappings:
/// <c>PaError</c>, <c>PaDeviceIndex</c>, <c>PaHostApiIndex</c> and the enums are C <c>int</c> → <c>int</c>;
/// <c>PaSampleFormat</c>, <c>PaStreamFlags</c>, <c>PaStreamCallbackFlags</c> and <c>unsigned long</c> frame counts are
/// <c>unsigned long</c> → <see cref="CULong"/> (32-bit on Windows, 64-bit elsewhere); <c>PaTime</c> is <c>double</c>;
/// <c>PaStream*</c> is opaque <c>nint</c>; <c>const char*</c> out → <c>byte*</c> (PortAudio owns it). The stream
/// callback is a <c>delegate* unmanaged</c> to an <c>[UnmanagedCallersOnly]</c> static with a GCHandle as <c>void* userData</c>.
/// A header test compiles portaudio.h and compares every constant and struct size here.
/// </summary>
internal static unsafe partial class PortAudio
{
    static PortAudio() => NativeLibraryResolver.Register(PortAudioLibrary.Name, PortAudioLibrary.Load);

    // PaErrorCode
    internal const int paNoError = 0;
    internal const int paNotInitialized = -10000;
    internal const int paUnanticipatedHostError = -9999;
    internal const int paInvalidChannelCount = -9998;
    internal const int paInvalidSampleRate = -9997;
    internal const int paInvalidDevice = -9996;
    internal const int paSampleFormatNotSupported = -9994;
    internal const int paBadIODeviceCombination = -9993;
    internal const int paDeviceUnavailable = -9985;

    internal const int paNoDevice = -1;
    internal const int paFormatIsSupported = 0;
    internal const int paFramesPerBufferUnspecified = 0;

    // PaSampleFormat
    internal const uint paFloat32 = 0x00000001;
    internal const uint paInt32 = 0x00000002;
    internal const uint paInt24 = 0x00000004;
    internal const uint paInt16 = 0x00000008;
    internal const uint paNonInterleaved = 0x80000000;

    // PaStreamFlags
    internal const uint paNoFlag = 0;
    internal const uint paClipOff = 0x00000001;
    internal const uint paDitherOff = 0x00000002;

    // PaStreamCallbackFlags
    internal const uint paInputUnderflow = 0x00000001;
    internal const uint paInputOverflow = 0x00000002;
    internal const uint paOutputUnderflow = 0x00000004;
    internal const uint paOutputOverflow = 0x00000008;
    internal const uint paPrimingOutput = 0x00000010;

    // PaStreamCallbackResult
    internal const int paContinue = 0;
    internal const int paComplete = 1;
    internal const int paAbort = 2;

    // PaHostApiTypeId
    internal const int paDirectSound = 1;
    internal const int paMME = 2;
    internal const int paASIO = 3;
    internal const int paCoreAudio = 5;
    internal const int paOSS = 7;
    internal const int paALSA = 8;
    internal const int paWDMKS = 11;
    internal const int paJACK = 12;
    internal const int paWASAPI = 13;

    /// <summary>int Pa_GetVersion(void)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_GetVersion")]
    internal static partial int Pa_GetVersion();

    /// <summary>const char* Pa_GetVersionText(void)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_GetVersionText")]
    internal static partial byte* Pa_GetVersionText();

    /// <summary>const char* Pa_GetErrorText(PaError errorCode)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_GetErrorText")]
    internal static partial byte* Pa_GetErrorText(int errorCode);

    /// <summary>PaError Pa_Initialize(void): counted; each call needs a Pa_Terminate.</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_Initialize")]
    internal static partial int Pa_Initialize();

    /// <summary>PaError Pa_Terminate(void)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_Terminate")]
    internal static partial int Pa_Terminate();

    /// <summary>PaHostApiIndex Pa_GetHostApiCount(void)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_GetHostApiCount")]
    internal static partial int Pa_GetHostApiCount();

    /// <summary>const PaHostApiInfo* Pa_GetHostApiInfo(PaHostApiIndex hostApi)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_GetHostApiInfo")]
    internal static partial PaHostApiInfo* Pa_GetHostApiInfo(int hostApi);

    /// <summary>PaDeviceIndex Pa_GetDeviceCount(void)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_GetDeviceCount")]
    internal static partial int Pa_GetDeviceCount();

    /// <summary>PaDeviceIndex Pa_GetDefaultOutputDevice(void)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_GetDefaultOutputDevice")]
    internal static partial int Pa_GetDefaultOutputDevice();

    /// <summary>PaDeviceIndex Pa_GetDefaultInputDevice(void)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_GetDefaultInputDevice")]
    internal static partial int Pa_GetDefaultInputDevice();

    /// <summary>const PaDeviceInfo* Pa_GetDeviceInfo(PaDeviceIndex device)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_GetDeviceInfo")]
    internal static partial PaDeviceInfo* Pa_GetDeviceInfo(int device);

    /// <summary>PaError Pa_IsFormatSupported(const PaStreamParameters*, const PaStreamParameters*, double sampleRate)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_IsFormatSupported")]
    internal static partial int Pa_IsFormatSupported(PaStreamParameters* inputParameters, PaStreamParameters* outputParameters, double sampleRate);

    /// <summary>
    /// PaError Pa_OpenStream(PaStream** stream, const PaStreamParameters* in, const PaStreamParameters* out,
    /// double sampleRate, unsigned long framesPerBuffer, PaStreamFlags flags, PaStreamCallback* callback, void* userData)
    /// </summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_OpenStream")]
    internal static partial int Pa_OpenStream(nint* stream, PaStreamParameters* inputParameters, PaStreamParameters* outputParameters,
        double sampleRate, CULong framesPerBuffer, CULong streamFlags,
        delegate* unmanaged<void*, void*, CULong, PaStreamCallbackTimeInfo*, CULong, nint, int> streamCallback, nint userData);

    /// <summary>PaError Pa_SetStreamFinishedCallback(PaStream*, PaStreamFinishedCallback*): called when the stream stops for any reason.</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_SetStreamFinishedCallback")]
    internal static partial int Pa_SetStreamFinishedCallback(nint stream, delegate* unmanaged<nint, void> streamFinishedCallback);

    /// <summary>PaError Pa_StartStream(PaStream*)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_StartStream")]
    internal static partial int Pa_StartStream(nint stream);

    /// <summary>PaError Pa_StopStream(PaStream*): returns once the callbacks in flight have finished (the buffers drain).</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_StopStream")]
    internal static partial int Pa_StopStream(nint stream);

    /// <summary>PaError Pa_AbortStream(PaStream*): stops at once, dropping what is buffered.</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_AbortStream")]
    internal static partial int Pa_AbortStream(nint stream);

    /// <summary>PaError Pa_CloseStream(PaStream*)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_CloseStream")]
    internal static partial int Pa_CloseStream(nint stream);

    /// <summary>PaError Pa_IsStreamActive(PaStream*): 1 while it calls the callback, 0 once stopped or finished, negative on error.</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_IsStreamActive")]
    internal static partial int Pa_IsStreamActive(nint stream);

    /// <summary>const PaStreamInfo* Pa_GetStreamInfo(PaStream*)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_GetStreamInfo")]
    internal static partial PaStreamInfo* Pa_GetStreamInfo(nint stream);

    /// <summary>const PaHostErrorInfo* Pa_GetLastHostErrorInfo(void)</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "Pa_GetLastHostErrorInfo")]
    internal static partial PaHostErrorInfo* Pa_GetLastHostErrorInfo();

    /// <summary>PaError PaJack_SetClientName(const char* name) (pa_jack.h): before Pa_Initialize; the string must outlive it.</summary>
    [LibraryImport(PortAudioLibrary.Name, EntryPoint = "PaJack_SetClientName")]
    internal static partial int PaJack_SetClientName(byte* name);

    internal static string? Utf8(byte* text) => text == null ? null : Marshal.PtrToStringUTF8((nint)text);

    internal static string ErrorText(int error) =>
        error == paUnanticipatedHostError && Pa_GetLastHostErrorInfo() is var host && host != null && host->errorText != null
            ? $"{Utf8(host->errorText)} ({Utf8(Pa_GetErrorText(error))})"
            : Utf8(Pa_GetErrorText(error)) ?? $"PortAudio error {error}";
}

/// <summary>struct PaHostApiInfo { int structVersion; PaHostApiTypeId type; const char* name; int deviceCount; PaDeviceIndex defaultInputDevice, defaultOutputDevice; }</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PaHostApiInfo
{
    public int structVersion;
    public int type;
    public byte* name;
    public int deviceCount;
    public int defaultInputDevice;
    public int defaultOutputDevice;
}

/// <summary>
/// struct PaDeviceInfo { int structVersion; const char* name; PaHostApiIndex hostApi; int maxInputChannels,
/// maxOutputChannels; PaTime defaultLowInputLatency, defaultLowOutputLatency, defaultHighInputLatency,
/// defaultHighOutputLatency; double defaultSampleRate; }
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PaDeviceInfo
{
    public int structVersion;
    public byte* name;
    public int hostApi;
    public int maxInputChannels;
    public int maxOutputChannels;
    public double defaultLowInputLatency;
    public double defaultLowOutputLatency;
    public double defaultHighInputLatency;
    public double defaultHighOutputLatency;
    public double defaultSampleRate;
}

/// <summary>struct PaStreamParameters { PaDeviceIndex device; int channelCount; PaSampleFormat sampleFormat; PaTime suggestedLatency; void* hostApiSpecificStreamInfo; }</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PaStreamParameters
{
    public int device;
    public int channelCount;
    public CULong sampleFormat;
    public double suggestedLatency;
    public nint hostApiSpecificStreamInfo;
}

/// <summary>struct PaStreamCallbackTimeInfo { PaTime inputBufferAdcTime, currentTime, outputBufferDacTime; }</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PaStreamCallbackTimeInfo
{
    public double inputBufferAdcTime;
    public double currentTime;
    public double outputBufferDacTime;
}

/// <summary>struct PaStreamInfo { int structVersion; PaTime inputLatency, outputLatency; double sampleRate; }</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PaStreamInfo
{
    public int structVersion;
    public double inputLatency;
    public double outputLatency;
    public double sampleRate;
}

/// <summary>struct PaHostErrorInfo { PaHostApiTypeId hostApiType; long errorCode; const char* errorText; }</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PaHostErrorInfo
{
    public int hostApiType;
    public CLong errorCode;
    public byte* errorText;
}

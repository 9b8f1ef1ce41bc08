using System.Runtime.InteropServices;

namespace MlOps.Trainer.LightGbm;

/// <summary>
/// The subset of LightGBM's C API (include/LightGBM/c_api.h, LightGBM 4.x) this trainer needs. Every function
/// returns 0 on success and -1 on failure; <see cref="Check"/> turns a failure into a <see cref="LightGbmException"/>.
/// </summary>
internal static partial class NativeMethods
{
    private const string Library = "lib_lightgbm";

    internal const int DTypeFloat32 = 0;
    internal const int DTypeFloat64 = 1;

    internal const int PredictNormal = 0;
    internal const int PredictRawScore = 1;

    // LightGBM's OpenMP threads spin while waiting for work by default. Beside other busy processes (the AppHost
    // runs the trainer next to its services; CI runs tests in parallel) spinning threads starve each other: on two
    // cores a 2-second training took 34 seconds. libgomp reads its policy once, when LightGBM is first loaded, and
    // only from the native environment, which Environment.SetEnvironmentVariable does not change on Unix.
    static NativeMethods()
    {
        if (!OperatingSystem.IsWindows() && Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
        {
            _ = SetNativeEnvironment("OMP_WAIT_POLICY", "PASSIVE", 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNativeEnvironment(string name, string value, int overwrite);

    internal const int ImportanceSplit = 0;
    internal const int ImportanceGain = 1;

    [LibraryImport(Library, EntryPoint = "LGBM_RegisterLogCallback")]
    internal static unsafe partial int RegisterLogCallback(delegate* unmanaged[Cdecl]<byte*, void> callback);

    [LibraryImport(Library, EntryPoint = "LGBM_GetLastError")]
    internal static partial IntPtr GetLastError();

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetCreateFromMat", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int DatasetCreateFromMat(
        double* data, int dataType, int rows, int columns, int isRowMajor, string parameters, IntPtr reference,
        out DatasetSafeHandle handle);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetSetField", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int DatasetSetField(
        DatasetSafeHandle handle, string fieldName, float* data, int count, int type);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetGetNumData")]
    internal static partial int DatasetGetNumData(DatasetSafeHandle handle, out int count);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetFree")]
    internal static partial int DatasetFree(IntPtr handle);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterCreate", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterCreate(DatasetSafeHandle train, string parameters, out BoosterSafeHandle handle);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterLoadModelFromString", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterLoadModelFromString(
        string model, out int iterations, out BoosterSafeHandle handle);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterAddValidData")]
    internal static partial int BoosterAddValidData(BoosterSafeHandle handle, DatasetSafeHandle validation);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterUpdateOneIter")]
    internal static partial int BoosterUpdateOneIter(BoosterSafeHandle handle, out int isFinished);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetEvalCounts")]
    internal static partial int BoosterGetEvalCounts(BoosterSafeHandle handle, out int count);

    /// <summary><paramref name="names"/> is an array of <paramref name="length"/> pointers, each to a buffer of <paramref name="bufferLength"/> bytes.</summary>
    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetEvalNames")]
    internal static unsafe partial int BoosterGetEvalNames(
        BoosterSafeHandle handle, int length, out int count, nuint bufferLength, out nuint requiredBufferLength, byte** names);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetEval")]
    internal static unsafe partial int BoosterGetEval(BoosterSafeHandle handle, int dataIndex, out int count, double* results);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetNumPredict")]
    internal static partial int BoosterGetNumPredict(BoosterSafeHandle handle, int dataIndex, out long count);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetPredict")]
    internal static unsafe partial int BoosterGetPredict(BoosterSafeHandle handle, int dataIndex, out long count, double* results);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetCurrentIteration")]
    internal static partial int BoosterGetCurrentIteration(BoosterSafeHandle handle, out int iteration);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetNumFeature")]
    internal static partial int BoosterGetNumFeature(BoosterSafeHandle handle, out int count);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterSaveModelToString")]
    internal static unsafe partial int BoosterSaveModelToString(
        BoosterSafeHandle handle, int startIteration, int numIteration, int featureImportanceType, long bufferLength,
        out long requiredLength, byte* buffer);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMat", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int BoosterPredictForMat(
        BoosterSafeHandle handle, double* data, int dataType, int rows, int columns, int isRowMajor, int predictType,
        int startIteration, int numIteration, string parameters, out long outLength, double* results);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFeatureImportance")]
    internal static unsafe partial int BoosterFeatureImportance(
        BoosterSafeHandle handle, int numIteration, int importanceType, double* results);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFree")]
    internal static partial int BoosterFree(IntPtr handle);

    /// <summary>Throws <see cref="LightGbmException"/> carrying LightGBM's last error when <paramref name="result"/> is not 0.</summary>
    internal static void Check(int result, string function)
    {
        if (result != 0)
        {
            var message = Marshal.PtrToStringUTF8(GetLastError());
            throw new LightGbmException(
                string.IsNullOrWhiteSpace(message) ? $"LightGBM {function} failed without a message." : message);
        }
    }
}

/// <summary>Owns a LightGBM DatasetHandle; freed with LGBM_DatasetFree.</summary>
internal sealed class DatasetSafeHandle : SafeHandle
{
    public DatasetSafeHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.DatasetFree(handle) == 0;
}

/// <summary>
/// Owns a LightGBM BoosterHandle; freed with LGBM_BoosterFree. A training booster keeps raw pointers to its
/// datasets, so it holds a reference on each dataset handle (<see cref="KeepAlive"/>) and lets go only after the
/// booster itself is freed.
/// </summary>
internal sealed class BoosterSafeHandle : SafeHandle
{
    private readonly List<SafeHandle> _dependencies = [];

    public BoosterSafeHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Keeps <paramref name="dependency"/>'s native object alive until this booster is freed.</summary>
    public void KeepAlive(SafeHandle dependency)
    {
        var added = false;
        dependency.DangerousAddRef(ref added);
        if (added)
        {
            lock (_dependencies)
            {
                _dependencies.Add(dependency);
            }
        }
    }

    protected override bool ReleaseHandle()
    {
        var freed = NativeMethods.BoosterFree(handle) == 0;
        lock (_dependencies)
        {
            foreach (var dependency in _dependencies)
            {
                dependency.DangerousRelease();
            }

            _dependencies.Clear();
        }

        return freed;
    }
}

using Fanout.Bus.Authoring;
using Fanout.Samples.Callbacks;

namespace Fanout.Samples.Batch;

/// <summary>Prints each job's result as it arrives (its status moves processing → completed).</summary>
[Service("sample.job-finished")]
public sealed class JobFinished(CallbackPrinter printer) : PrintingTargetCallback(printer);

/// <summary>The fan-in: prints the order's results once all three jobs reported, or the deadline passed.</summary>
[Service("sample.order-completed")]
public sealed class OrderCompleted(CallbackPrinter printer) : PrintingFinalCallback(printer);

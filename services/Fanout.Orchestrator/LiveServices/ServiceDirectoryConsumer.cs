using Fanout.Contracts;
using MassTransit;

namespace Fanout.Orchestrator.LiveServices;

/// <summary>
/// Records each <see cref="ServicesAnnounced"/> in the directory and answers <see cref="ListServices"/>.
/// </summary>
public sealed class ServiceDirectoryConsumer(ServiceDirectory directory)
    : IConsumer<ServicesAnnounced>, IConsumer<ListServices>
{
    public Task Consume(ConsumeContext<ServicesAnnounced> context) =>
        directory.RecordAsync(context.Message, context.CancellationToken);

    public async Task Consume(ConsumeContext<ListServices> context) =>
        await context.RespondAsync(await directory.ListAsync(context.CancellationToken).ConfigureAwait(false))
            .ConfigureAwait(false);
}

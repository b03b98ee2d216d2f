namespace Fanout.Fifo.Leases;

/// <summary>
/// A lease this process holds, renewed in the background every third of its duration, broker or no broker. When a
/// renewal is refused (another holder took it) or none succeeded before a safety margin ahead of the expiry,
/// <see cref="Lost"/> is cancelled: work under it must stop before a standby may take the line. Disposing stops the
/// renewals and releases the lease.
/// </summary>
public sealed class HeldLease : IAsyncDisposable
{
    readonly FifoLeases _leases;
    readonly CancellationTokenSource _lost = new();
    readonly CancellationTokenSource _stop = new();
    Task _renewals = Task.CompletedTask;
    DateTimeOffset _expires;

    HeldLease(FifoLeases leases, string fifo, long token)
    {
        _leases = leases;
        Fifo = fifo;
        Token = token;
        _expires = leases.Time.GetUtcNow() + leases.Duration;
    }

    public string Fifo { get; }

    /// <summary>The fencing token of this holding: larger than every earlier holder's.</summary>
    public long Token { get; }

    /// <summary>Cancelled when the lease is lost or about to expire unrenewed.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Stop this far ahead of the expiry when renewals fail (the database is slow or unreachable).</summary>
    TimeSpan Margin => _leases.Duration / 6;

    internal static HeldLease Start(FifoLeases leases, string fifo, long token)
    {
        var lease = new HeldLease(leases, fifo, token);
        lease._renewals = lease.RenewUntilStoppedAsync();
        return lease;
    }

    async Task RenewUntilStoppedAsync()
    {
        var time = _leases.Time;
        try
        {
            while (true)
            {
                var untilMargin = _expires - Margin - time.GetUtcNow();
                var wait = untilMargin < _leases.Duration / 3 ? untilMargin : _leases.Duration / 3;
                if (wait <= TimeSpan.Zero)
                {
                    _lost.Cancel();
                    return;
                }

                await Task.Delay(wait, time, _stop.Token).ConfigureAwait(false);
                var asked = time.GetUtcNow();
                try
                {
                    if (!await _leases.RenewAsync(Fifo, Token, _stop.Token).ConfigureAwait(false))
                    {
                        _lost.Cancel();
                        return;
                    }

                    _expires = asked + _leases.Duration;
                }
                catch (Exception) when (!_stop.IsCancellationRequested)
                {
                    // Not renewed this time; the next try comes sooner, and the margin decides when to give up.
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Renews at once; throws <see cref="LeaseLostException"/> when the lease is no longer this holder's.
    /// </summary>
    public async Task ConfirmHeldAsync(CancellationToken cancellationToken)
    {
        if (_lost.IsCancellationRequested
            || !await _leases.RenewAsync(Fifo, Token, cancellationToken).ConfigureAwait(false))
        {
            await _lost.CancelAsync().ConfigureAwait(false);
            throw new LeaseLostException(this, "confirming the lease");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewals.ConfigureAwait(false);
        try
        {
            if (!_lost.IsCancellationRequested)
                await _leases.ReleaseAsync(Fifo, Token, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Not released: it expires unrenewed, and a standby takes the line then.
        }
        finally
        {
            _stop.Dispose();
            _lost.Dispose();
        }
    }
}

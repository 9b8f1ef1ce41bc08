using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace MlOps.Hosting.Orchestration;

/// <summary>The one stream of resource snapshots: the console, the dashboard and tests all watch it.
/// Rule: updates are serialised by one lock, so every watcher sees every snapshot of a resource in order.</summary>
public sealed class ResourceNotificationService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceSnapshot> _current = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly ConcurrentDictionary<Channel<ResourceSnapshot>, byte> _watchers = new();
    private long _version;

    /// <summary>The latest snapshot of every resource, in declaration order.</summary>
    public IReadOnlyList<ResourceSnapshot> Current
    {
        get
        {
            lock (_gate)
            {
                return _order.Select(n => _current[n]).ToArray();
            }
        }
    }

    /// <summary>The latest snapshot of <paramref name="name"/>, or null.</summary>
    public ResourceSnapshot? Get(string name)
    {
        lock (_gate)
        {
            return _current.GetValueOrDefault(name);
        }
    }

    /// <summary>Publishes the first snapshot of a resource (or replaces it).</summary>
    public ResourceSnapshot Publish(ResourceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            if (!_current.ContainsKey(snapshot.Name))
            {
                _order.Add(snapshot.Name);
            }

            var published = snapshot with { Version = ++_version, Timestamp = DateTimeOffset.UtcNow };
            _current[snapshot.Name] = published;
            foreach (var watcher in _watchers.Keys)
            {
                watcher.Writer.TryWrite(published);
            }

            return published;
        }
    }

    /// <summary>Publishes a new snapshot of <paramref name="name"/> made from the current one.</summary>
    public ResourceSnapshot Update(string name, Func<ResourceSnapshot, ResourceSnapshot> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var current = _current.GetValueOrDefault(name)
                ?? throw new InvalidOperationException($"Unknown resource '{name}'.");
            return Publish(change(current));
        }
    }

    /// <summary>The current snapshots, then every new one until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<ResourceSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ResourceSnapshot>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            foreach (var name in _order)
            {
                channel.Writer.TryWrite(_current[name]);
            }

            _watchers[channel] = 0;
        }

        try
        {
            await foreach (var snapshot in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return snapshot;
            }
        }
        finally
        {
            _watchers.TryRemove(channel, out _);
        }
    }

    /// <summary>Waits until <paramref name="name"/> has a snapshot matching <paramref name="predicate"/> and returns it.</summary>
    public async Task<ResourceSnapshot> WaitForAsync(string name, Func<ResourceSnapshot, bool> predicate, CancellationToken cancellationToken = default)
    {
        await foreach (var snapshot in WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            if (snapshot.Name == name && predicate(snapshot))
            {
                return snapshot;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new InvalidOperationException("The notification stream ended.");
    }
}

namespace Synthetics.Maintenance;

/// <summary>
/// The Linode account's own view of what happens to it: the provider's notices (<c>/account/notifications</c>) and the
/// account's changes (<c>/account/events</c>). Context, never a dependency: a failure is a reading with a reason, not an
/// exception, and without <c>Linode:Token</c> both are empty.
/// </summary>
public interface IAccountActivitySource
{
    /// <summary>True when a token is set: the account is read.</summary>
    bool IsEnabled { get; }

    /// <summary>The provider's notices of the types in <see cref="AccountNotice.ProviderTypes"/>.</summary>
    Task<AccountReading<AccountNotice>> GetNoticesAsync(CancellationToken cancellationToken);

    /// <summary>The account's changes of <see cref="CustomerChange.Actions"/> made at or after <paramref name="since"/>, newest first.</summary>
    Task<AccountReading<CustomerChange>> GetChangesAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

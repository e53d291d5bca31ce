namespace Synthetics.Storage;

/// <summary>A batch parked in host storage.</summary>
/// <param name="Id">The outbox id (enqueue ticks, then a GUID).</param>
/// <param name="Content">The outbox file's text; null when the batch is incomplete (a delete interrupted after its parts went).</param>
/// <param name="ExtraEntities">Entities beyond the first that hold the rest of a large batch.</param>
internal sealed record ParkedBatch(string Id, string? Content, int ExtraEntities);

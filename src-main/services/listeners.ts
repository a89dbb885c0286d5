/** Listeners by event name: `on` subscribes (and returns the unsubscribe), `emit` calls each in turn. */
export interface Listeners<Events> {
  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void
  emit<E extends keyof Events>(event: E, payload: Events[E]): void
}

/**
 * Listeners for the named events. A listener that throws is reported through `onError` and does
 * not stop the others; one that unsubscribes while being called does not skip the next.
 */
export function createListeners<Events>(
  events: readonly (keyof Events)[],
  onError: (event: keyof Events, error: unknown) => void
): Listeners<Events> {
  const sets = new Map<keyof Events, Set<(payload: never) => void>>(events.map((e) => [e, new Set()]))
  const setOf = (event: keyof Events): Set<(payload: never) => void> => {
    const set = sets.get(event)
    if (!set) throw new RangeError(`no event is called '${String(event)}'`)
    return set
  }
  return {
    on(event, listener) {
      const set = setOf(event)
      set.add(listener as (payload: never) => void)
      return () => set.delete(listener as (payload: never) => void)
    },
    emit(event, payload) {
      for (const listener of [...setOf(event)]) {
        try {
          ;(listener as (p: typeof payload) => void)(payload)
        } catch (error) {
          onError(event, error)
        }
      }
    }
  }
}

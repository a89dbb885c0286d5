import { reactive, watch } from 'vue'
import { parseNumberField, type NumberRule } from '../logic/liveParams'

export interface NumberField {
  /** What the field shows. */
  text: string
  /** One sentence when the text is not a valid value; null otherwise. */
  error: string | null
  /** The input event: validates, and applies at once when the field applies as typed. */
  input(event: Event): void
  /** Enter or blur: applies a field that does not apply as typed. */
  commit(): void
}

/**
 * A typed number field: validated on every keystroke (a sentence when invalid, nothing applied),
 * applied as typed or on commit (Enter/blur), and refreshed when the value changes elsewhere.
 * `apply` returns a sentence when the value was refused.
 */
export function useNumberField(
  rule: NumberRule,
  current: () => number | undefined,
  apply: (v: number) => string | null | Promise<string | null>,
  asTyped: boolean
): NumberField {
  const field: NumberField = reactive({ text: '', error: null as string | null, input, commit })
  watch(
    current,
    (v) => {
      const typed = parseNumberField(field.text, rule)
      if (v !== undefined && (!typed.ok || typed.value !== v)) Object.assign(field, { text: String(v), error: null })
    },
    { immediate: true }
  )
  async function run(text: string): Promise<void> {
    const parsed = parseNumberField(text, rule)
    field.error = parsed.ok ? await apply(parsed.value) : parsed.error
  }
  function input(event: Event): void {
    field.text = (event.target as HTMLInputElement).value
    const parsed = parseNumberField(field.text, rule)
    field.error = parsed.ok ? null : parsed.error
    if (asTyped && parsed.ok) void run(field.text)
  }
  function commit(): void {
    if (!asTyped) void run(field.text)
  }
  return field
}

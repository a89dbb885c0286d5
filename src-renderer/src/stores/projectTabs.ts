import { computed, ref, type Ref } from 'vue'
import type { ProjectJson } from '@shared/project/types'

export type ProjectItemKind = 'model' | 'run' | 'dataset' | 'analysis' | 'training'

/**
 * The project store's tabs and selection: which items are open in tabs and which one the
 * centre and the inspector show. A part of the project store (project.ts), not a store itself.
 */
export function projectTabs(project: Ref<ProjectJson>) {
  /** Run, model or other item shown in the centre and inspector. */
  const selectedId = ref<string | null>(null)
  /** Open tabs (item ids). */
  const tabs = ref<string[]>([])

  const selectedRun = computed(() => project.value.runs.find((r) => r.id === selectedId.value) ?? null)
  /** The selected model, or the model of the selected run or dataset. */
  const selectedModel = computed(() => {
    const p = project.value
    const id = selectedId.value
    const owner = p.runs.find((r) => r.id === id)?.modelId ?? p.datasets.find((d) => d.id === id)?.modelId ?? id
    return p.models.find((m) => m.id === owner) ?? null
  })

  /** Every item the tree shows, by id: models, runs, datasets and analyses open in tabs. */
  function itemKind(id: string): ProjectItemKind | null {
    const p = project.value
    if (p.models.some((m) => m.id === id)) return 'model'
    if (p.runs.some((r) => r.id === id)) return 'run'
    if (p.datasets.some((d) => d.id === id)) return 'dataset'
    if (p.analyses.some((a) => a.id === id)) return 'analysis'
    if (p.trainings?.some((t) => t.id === id)) return 'training'
    return null
  }
  function itemName(id: string): string {
    const p = project.value
    const item =
      p.models.find((m) => m.id === id) ??
      p.runs.find((r) => r.id === id) ??
      p.datasets.find((d) => d.id === id) ??
      p.analyses.find((a) => a.id === id)
    return (item ?? p.trainings?.find((t) => t.id === id))?.name ?? id
  }

  function openTab(id: string): void {
    if (itemKind(id) && !tabs.value.includes(id)) tabs.value.push(id)
    selectedId.value = id
  }
  /** Closes a tab; the selection moves to the last tab left. */
  function closeTab(id: string): void {
    tabs.value = tabs.value.filter((t) => t !== id)
    if (selectedId.value === id) selectedId.value = tabs.value[tabs.value.length - 1] ?? null
  }
  /** Closes the tab of an item that is gone; the selection moves to the first tab or model. */
  function dropItem(id: string): void {
    tabs.value = tabs.value.filter((t) => t !== id)
    if (selectedId.value === id) selectedId.value = tabs.value[0] ?? project.value.models[0]?.id ?? null
  }
  /** A project just opened: its first run in a tab, else its first model selected. */
  function resetTabs(json: ProjectJson): void {
    tabs.value = json.runs.slice(0, 1).map((r) => r.id)
    selectedId.value = json.runs[0]?.id ?? json.models[0]?.id ?? null
  }

  return { selectedId, tabs, selectedRun, selectedModel, itemKind, itemName, openTab, closeTab, dropItem, resetTabs }
}

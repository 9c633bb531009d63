import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { tagsApi, type Segment, type Tag, type TagGroup } from '../ipc'

/** Tags with their groups and the saved segments with live counts: the chips, the sidebar. */
export const useTagsStore = defineStore('tags', () => {
  const groups = ref<TagGroup[]>([])
  const tags = ref<Tag[]>([])
  const segments = ref<Segment[]>([])
  const loaded = ref(false)

  const byId = computed(() => new Map(tags.value.map((t) => [t.id, t])))
  /** The most used tags first, for the quick chips above the list. */
  const popular = computed(() => [...tags.value].filter((t) => t.count > 0).sort((a, b) => b.count - a.count || a.id - b.id))

  async function load() {
    const [g, t] = await Promise.all([tagsApi.groups(), tagsApi.list()])
    groups.value = g
    tags.value = t
    loaded.value = true
  }

  async function ensure() {
    if (!loaded.value) await load()
  }

  async function loadSegments() {
    segments.value = await tagsApi.segments(true)
  }

  /** Tags, counts and segment counts after anything that can move them. */
  async function changed() {
    await Promise.all([load(), loadSegments()])
  }

  return { groups, tags, segments, loaded, byId, popular, load, ensure, loadSegments, changed }
})

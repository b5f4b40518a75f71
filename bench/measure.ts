import { readFileSync } from 'node:fs'

/** Samples a process's peak resident memory (VmHWM) from /proc until stopped; MB. */
export function peakRssSampler(): { watch(pid: number): void; peakMb(): number; stop(): void } {
  const pids = new Set<number>()
  let peakKb = 0
  const sample = () => {
    for (const pid of pids) {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
        if (match) peakKb = Math.max(peakKb, Number(match[1]))
      } catch {
        pids.delete(pid) // exited
      }
    }
  }
  const timer = setInterval(sample, 25)
  return {
    watch: (pid) => {
      pids.add(pid)
      sample()
    },
    peakMb: () => Math.round(peakKb / 1024),
    stop: () => clearInterval(timer)
  }
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

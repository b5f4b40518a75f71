import type { Clock } from '../clock.js'
import { placeKey, type Place } from './place.js'

/**
 * The read buckets AWS keeps per account and region, with ECS's published sizes (burst tokens,
 * refill per second). Every tool in the account draws on the same buckets, so this action takes
 * only a share of them.
 */
export const READ_BUCKETS = {
  /** DescribeServices, ListServices. */
  'service-reads': { burst: 100, refillPerSecond: 20 },
  /** DescribeTasks, ListTasks and the other reads of a cluster's resources. */
  'cluster-resource-reads': { burst: 100, refillPerSecond: 20 },
  /** DescribeServiceDeployments, ListServiceDeployments, DescribeServiceRevisions. */
  'service-deployment-reads': { burst: 50, refillPerSecond: 20 },
  /** DescribeClusters, ListClusters. */
  'cluster-reads': { burst: 50, refillPerSecond: 20 },
  /** DescribeTaskDefinition and friends (discovery). */
  'task-definition-reads': { burst: 50, refillPerSecond: 20 },
  /** CodeDeploy publishes no bucket sizes for its reads: a conservative guess. */
  'codedeploy-reads': { burst: 20, refillPerSecond: 10 }
} as const satisfies Record<string, BucketSpec>

export interface BucketSpec {
  burst: number
  refillPerSecond: number
}

/**
 * Writes keep ECS's own limit rather than a share (a redeploy cannot start with fewer writes),
 * paced here so they go out in the order given: a throttled write is retried later and loses
 * its place, which undoes the longest-first order.
 */
export const WRITE_BUCKETS = {
  /** CreateService, UpdateService, DeleteService. */
  'service-writes': { burst: 50, refillPerSecond: 5 }
} as const satisfies Record<string, BucketSpec>

export type ReadBucket = keyof typeof READ_BUCKETS
export type BucketName = ReadBucket | keyof typeof WRITE_BUCKETS
const BUCKETS: Record<BucketName, BucketSpec> = { ...READ_BUCKETS, ...WRITE_BUCKETS }
const isWrite = (bucket: BucketName) => bucket in WRITE_BUCKETS

const ECS_OPERATIONS: Record<string, BucketName> = {
  DescribeServices: 'service-reads',
  ListServices: 'service-reads',
  ListServicesByNamespace: 'service-reads',
  DescribeTasks: 'cluster-resource-reads',
  ListTasks: 'cluster-resource-reads',
  DescribeContainerInstances: 'cluster-resource-reads',
  ListContainerInstances: 'cluster-resource-reads',
  DescribeTaskSets: 'cluster-resource-reads',
  DescribeServiceDeployments: 'service-deployment-reads',
  ListServiceDeployments: 'service-deployment-reads',
  DescribeServiceRevisions: 'service-deployment-reads',
  DescribeClusters: 'cluster-reads',
  ListClusters: 'cluster-reads',
  DescribeTaskDefinition: 'task-definition-reads',
  CreateService: 'service-writes',
  UpdateService: 'service-writes',
  DeleteService: 'service-writes',
  ListTaskDefinitions: 'task-definition-reads',
  ListTaskDefinitionFamilies: 'task-definition-reads'
}

/** The bucket a call draws on, or undefined for a call the budget leaves alone. */
export function bucketOf(service: 'ecs' | 'codedeploy', operation: string): BucketName | undefined {
  if (service === 'ecs') return ECS_OPERATIONS[operation]
  return /^(Get|List|BatchGet)/.test(operation) ? 'codedeploy-reads' : undefined
}

/** A throttled answer means someone else needs the bucket: the share shrinks by this factor, at most once a second. */
const SHRINK = 0.7
const MIN_SHARE = 0.1
/** No window of this length holds more than share x refill x window calls (what others are promised). */
export const WINDOW_MS = 10_000
/** A call leaves the budget a moment before it reaches AWS: the window is checked this much wider. */
const SLACK_MS = 250

export interface BucketUsage {
  place: Place
  bucket: BucketName
  calls: number
  throttled: number
  /** The most calls sent in any 10 s window, and that as a rate per second. */
  peakPerWindow: number
  peakPerSecond: number
  /** The share in force at the end, as a percentage of the bucket's refill rate. */
  sharePercent: number
}

/** One bucket at one place, as this action uses it. */
class Lane {
  private tokens: number
  private at: number
  /** When the latest calls went out (on the clock, after any wait), oldest first. */
  private readonly sent: number[] = []
  private lastShrink = Number.NEGATIVE_INFINITY
  /** When the latest reservation may go: reservations keep their order. */
  private nextAt = Number.NEGATIVE_INFINITY
  calls = 0
  throttled = 0
  peakPerWindow = 0

  constructor(
    private readonly spec: BucketSpec,
    public share: number,
    now: number,
    /** A write lane: ECS's own rate, no window, never shrinks, one token kept back for arrival jitter. */
    private readonly write = false
  ) {
    this.tokens = this.capacity()
    this.at = now
  }

  /** Our share of ECS's token bucket: share x burst, refilled at share x refill. */
  private capacity(): number {
    return this.write ? Math.max(1, this.spec.burst - 1) : Math.max(1, this.spec.burst * this.share)
  }

  rate(): number {
    return this.spec.refillPerSecond * this.share
  }

  private windowLimit(): number {
    return Math.max(1, Math.floor((this.rate() * WINDOW_MS) / 1000))
  }

  /**
   * Reserves a token for the next call and returns when the token bucket lets it go. Tokens may
   * go negative: later callers queue behind earlier ones, in order.
   */
  reserve(now: number): number {
    const rate = this.rate() / 1000
    this.tokens = Math.min(this.capacity(), this.tokens + (now - this.at) * rate)
    this.at = now
    this.tokens -= 1
    const sendAt = this.tokens >= 0 ? now : now - this.tokens / rate
    this.nextAt = Math.max(this.nextAt, sendAt)
    return this.nextAt
  }

  /**
   * The token bucket alone would allow burst + 10 s of refill in one window, so a call also
   * waits until fewer than `limit` calls went out in the last 10 s (plus a little slack for the
   * time a call takes to reach AWS). Returns how long to wait; 0 means it is sent now, and counted.
   */
  sendOrWait(now: number): number {
    const limit = this.write ? Number.POSITIVE_INFINITY : this.windowLimit()
    const inWindow = this.inWindowEndingAt(now)
    if (inWindow >= limit) return this.sent[this.sent.length - limit] + WINDOW_MS + SLACK_MS - now
    this.sent.push(now)
    // Keep what the window check needs (the limit can only shrink).
    const keep = Math.min(limit, 1000)
    if (this.sent.length > 2 * keep + 64) this.sent.splice(0, this.sent.length - keep - 1)
    this.calls++
    this.peakPerWindow = Math.max(this.peakPerWindow, inWindow + 1)
    return 0
  }

  private inWindowEndingAt(t: number): number {
    let n = 0
    for (let i = this.sent.length - 1; i >= 0 && this.sent[i] > t - WINDOW_MS - SLACK_MS; i--) n++
    return n
  }

  onThrottled(now: number): void {
    this.throttled++
    if (this.write || now - this.lastShrink < 1000) return
    this.lastShrink = now
    this.share = Math.max(MIN_SHARE, this.share * SHRINK)
  }
}

/**
 * The action's API budget: token buckets per account, region and ECS read bucket, at a share of
 * the published refill rates (`api-budget`), shared by every read the action makes.
 */
export class ApiBudget {
  private readonly lanes = new Map<string, { place: Place; bucket: BucketName; lane: Lane }>()

  constructor(
    sharePercent: number,
    private readonly clock: Clock,
    private readonly buckets: Record<BucketName, BucketSpec> = BUCKETS
  ) {
    this.share = Math.min(1, Math.max(MIN_SHARE, sharePercent / 100))
  }

  private readonly share: number

  private lane(place: Place, bucket: BucketName): Lane {
    const key = `${placeKey(place)}|${bucket}`
    let entry = this.lanes.get(key)
    if (!entry) {
      const write = isWrite(bucket)
      entry = { place, bucket, lane: new Lane(this.buckets[bucket], write ? 1 : this.share, this.clock.now(), write) }
      this.lanes.set(key, entry)
    }
    return entry.lane
  }

  /** Waits until the budget allows one more call to `bucket` at `place`. */
  async take(place: Place, bucket: BucketName): Promise<void> {
    const lane = this.lane(place, bucket)
    const sendAt = lane.reserve(this.clock.now())
    if (sendAt > this.clock.now()) await this.clock.sleep(sendAt - this.clock.now())
    // Checked on the clock after the wait: a timer that fires late must not crowd a window.
    for (let wait = lane.sendOrWait(this.clock.now()); wait > 0; wait = lane.sendOrWait(this.clock.now())) {
      await this.clock.sleep(wait)
    }
  }

  /** ECS answered ThrottlingException: others need the bucket, so this run takes less of it from now on. */
  throttled(place: Place, bucket: BucketName): void {
    this.lane(place, bucket).onThrottled(this.clock.now())
  }

  /** Calls a second the budget allows now for a bucket at a place. */
  ratePerSecond(place: Place, bucket: BucketName): number {
    return this.lane(place, bucket).rate()
  }

  /** What was used, per place and bucket, for the summary. */
  usage(): BucketUsage[] {
    return [...this.lanes.values()]
      .filter(({ lane }) => lane.calls > 0)
      .map(({ place, bucket, lane }) => ({
        place,
        bucket,
        calls: lane.calls,
        throttled: lane.throttled,
        peakPerWindow: lane.peakPerWindow,
        peakPerSecond: lane.peakPerWindow / (WINDOW_MS / 1000),
        sharePercent: Math.round(lane.share * 100)
      }))
  }
}

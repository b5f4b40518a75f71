export const id = 136;
export const ids = [136];
export const modules = {

/***/ 5136:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  awsStages: () => (/* binding */ awsStages)
});

// UNUSED EXPORTS: enter

// EXTERNAL MODULE: ./src/ecs/outcome.ts
var outcome = __webpack_require__(4449);
// EXTERNAL MODULE: ./src/ecs/service-state.ts
var service_state = __webpack_require__(394);
// EXTERNAL MODULE: ./src/secret/mask.ts
var mask = __webpack_require__(6010);
// EXTERNAL MODULE: ./src/settings/index.ts + 8 modules
var src_settings = __webpack_require__(8774);
// EXTERNAL MODULE: ./src/stages.ts
var stages = __webpack_require__(4628);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/util-arn-parser/dist-cjs/index.js
var dist_cjs = __webpack_require__(6369);
// EXTERNAL MODULE: ./src/aws/allowed-accounts.ts
var allowed_accounts = __webpack_require__(4206);
// EXTERNAL MODULE: ./src/aws/place.ts
var aws_place = __webpack_require__(4830);
;// CONCATENATED MODULE: ./src/aws/api-budget.ts

/**
 * The read buckets AWS keeps per account and region, with ECS's published sizes (burst tokens,
 * refill per second). Every tool in the account draws on the same buckets, so this action takes
 * only a share of them.
 */
const READ_BUCKETS = {
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
};
/**
 * Writes keep ECS's own limit rather than a share (a redeploy cannot start with fewer writes),
 * paced here so they go out in the order given: a throttled write is retried later and loses
 * its place, which undoes the longest-first order.
 */
const WRITE_BUCKETS = {
    /** CreateService, UpdateService, DeleteService. */
    'service-writes': { burst: 50, refillPerSecond: 5 }
};
const BUCKETS = { ...READ_BUCKETS, ...WRITE_BUCKETS };
const isWrite = (bucket) => bucket in WRITE_BUCKETS;
const ECS_OPERATIONS = {
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
};
/** The bucket a call draws on, or undefined for a call the budget leaves alone. */
function bucketOf(service, operation) {
    if (service === 'ecs')
        return ECS_OPERATIONS[operation];
    return /^(Get|List|BatchGet)/.test(operation) ? 'codedeploy-reads' : undefined;
}
/** A throttled answer means someone else needs the bucket: the share shrinks by this factor, at most once a second. */
const SHRINK = 0.7;
const MIN_SHARE = 0.1;
/** No window of this length holds more than share x refill x window calls (what others are promised). */
const WINDOW_MS = 10_000;
/** A call leaves the budget a moment before it reaches AWS: the window is checked this much wider. */
const SLACK_MS = 250;
/** One bucket at one place, as this action uses it. */
class Lane {
    spec;
    share;
    write;
    tokens;
    at;
    /** When the latest calls went out (on the clock, after any wait), oldest first. */
    sent = [];
    lastShrink = Number.NEGATIVE_INFINITY;
    /** When the latest reservation may go: reservations keep their order. */
    nextAt = Number.NEGATIVE_INFINITY;
    calls = 0;
    throttled = 0;
    peakPerWindow = 0;
    constructor(spec, share, now, 
    /** A write lane: ECS's own rate, no window, never shrinks, one token kept back for arrival jitter. */
    write = false) {
        this.spec = spec;
        this.share = share;
        this.write = write;
        this.tokens = this.capacity();
        this.at = now;
    }
    /** Our share of ECS's token bucket: share x burst, refilled at share x refill. */
    capacity() {
        return this.write ? Math.max(1, this.spec.burst - 1) : Math.max(1, this.spec.burst * this.share);
    }
    rate() {
        return this.spec.refillPerSecond * this.share;
    }
    windowLimit() {
        return Math.max(1, Math.floor((this.rate() * WINDOW_MS) / 1000));
    }
    /**
     * Reserves a token for the next call and returns when the token bucket lets it go. Tokens may
     * go negative: later callers queue behind earlier ones, in order.
     */
    reserve(now) {
        const rate = this.rate() / 1000;
        this.tokens = Math.min(this.capacity(), this.tokens + (now - this.at) * rate);
        this.at = now;
        this.tokens -= 1;
        const sendAt = this.tokens >= 0 ? now : now - this.tokens / rate;
        this.nextAt = Math.max(this.nextAt, sendAt);
        return this.nextAt;
    }
    /**
     * The token bucket alone would allow burst + 10 s of refill in one window, so a call also
     * waits until fewer than `limit` calls went out in the last 10 s (plus a little slack for the
     * time a call takes to reach AWS). Returns how long to wait; 0 means it is sent now, and counted.
     */
    sendOrWait(now) {
        const limit = this.write ? Number.POSITIVE_INFINITY : this.windowLimit();
        const inWindow = this.inWindowEndingAt(now);
        if (inWindow >= limit)
            return this.sent[this.sent.length - limit] + WINDOW_MS + SLACK_MS - now;
        this.sent.push(now);
        // Keep what the window check needs (the limit can only shrink).
        const keep = Math.min(limit, 1000);
        if (this.sent.length > 2 * keep + 64)
            this.sent.splice(0, this.sent.length - keep - 1);
        this.calls++;
        this.peakPerWindow = Math.max(this.peakPerWindow, inWindow + 1);
        return 0;
    }
    inWindowEndingAt(t) {
        let n = 0;
        for (let i = this.sent.length - 1; i >= 0 && this.sent[i] > t - WINDOW_MS - SLACK_MS; i--)
            n++;
        return n;
    }
    onThrottled(now) {
        this.throttled++;
        if (this.write || now - this.lastShrink < 1000)
            return;
        this.lastShrink = now;
        this.share = Math.max(MIN_SHARE, this.share * SHRINK);
    }
}
/**
 * The action's API budget: token buckets per account, region and ECS read bucket, at a share of
 * the published refill rates (`api-budget`), shared by every read the action makes.
 */
class ApiBudget {
    clock;
    buckets;
    lanes = new Map();
    constructor(sharePercent, clock, buckets = BUCKETS) {
        this.clock = clock;
        this.buckets = buckets;
        this.share = Math.min(1, Math.max(MIN_SHARE, sharePercent / 100));
    }
    share;
    lane(place, bucket) {
        const key = `${(0,aws_place/* placeKey */.r4)(place)}|${bucket}`;
        let entry = this.lanes.get(key);
        if (!entry) {
            const write = isWrite(bucket);
            entry = { place, bucket, lane: new Lane(this.buckets[bucket], write ? 1 : this.share, this.clock.now(), write) };
            this.lanes.set(key, entry);
        }
        return entry.lane;
    }
    /** Waits until the budget allows one more call to `bucket` at `place`. */
    async take(place, bucket) {
        const lane = this.lane(place, bucket);
        const sendAt = lane.reserve(this.clock.now());
        if (sendAt > this.clock.now())
            await this.clock.sleep(sendAt - this.clock.now());
        // Checked on the clock after the wait: a timer that fires late must not crowd a window.
        for (let wait = lane.sendOrWait(this.clock.now()); wait > 0; wait = lane.sendOrWait(this.clock.now())) {
            await this.clock.sleep(wait);
        }
    }
    /** ECS answered ThrottlingException: others need the bucket, so this run takes less of it from now on. */
    throttled(place, bucket) {
        this.lane(place, bucket).onThrottled(this.clock.now());
    }
    /** Calls a second the budget allows now for a bucket at a place. */
    ratePerSecond(place, bucket) {
        return this.lane(place, bucket).rate();
    }
    /** What was used, per place and bucket, for the summary. */
    usage() {
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
        }));
    }
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-codedeploy/dist-cjs/index.js
var client_codedeploy_dist_cjs = __webpack_require__(7507);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var client_ecs_dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-secrets-manager/dist-cjs/index.js
var client_secrets_manager_dist_cjs = __webpack_require__(2994);
// EXTERNAL MODULE: ./node_modules/@smithy/core/dist-cjs/submodules/retry/index.js
var retry = __webpack_require__(3609);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(1695);
// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(370);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
;// CONCATENATED MODULE: ./src/aws/budget-middleware.ts


/**
 * Makes every call a client sends that draws on a known bucket wait for the API budget, and
 * tells the budget when AWS throttled one. Added after the retry step, so each attempt (a retry
 * reaches AWS too) takes a token and a backoff holds none; before the in-flight cap, so a call
 * waiting for a token holds no slot. Other calls pass through untouched.
 */
function withApiBudget(client, budget, place, service) {
    client.middlewareStack.add((next, context) => async (args) => {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        const bucket = bucketOf(service, operation);
        if (!bucket)
            return next(args);
        await budget.take(place, bucket);
        try {
            return await next(args);
        }
        catch (error) {
            if ((0,retry.isThrottlingError)(error))
                budget.throttled(place, bucket);
            throw error;
        }
    }, { step: 'finalizeRequest', priority: 'normal', name: 'secretRolloutApiBudget' });
}

// EXTERNAL MODULE: ./src/aws/errors.ts
var errors = __webpack_require__(9378);
;// CONCATENATED MODULE: ./src/aws/clients.ts










/**
 * The SDK's standard retry strategy retries throttling, 5xx and dropped connections with
 * capped, jittered backoff, and never retries AccessDenied or validation errors.
 * Endpoints come from the SDK's own AWS_ENDPOINT_URL[_<SERVICE>] variables; none is set here.
 */
const RETRY = { maxAttempts: 8, retryMode: 'standard' };
/**
 * ECS writes go through a client of their own, paced at ECS's published write rate by the API
 * budget, in adaptive mode: its rate limiter also learns a lower rate from throttling when other
 * tools write in the account. Reads keep a client of their own, so polling is not slowed to the
 * write rate.
 */
const ADAPTIVE = { maxAttempts: 8, retryMode: 'adaptive' };
/**
 * Secrets Manager answers LimitExceededException when a write would pass a quota (most often
 * the number of versions a secret keeps). The SDK counts that name as throttling and retries
 * it, but waiting seconds does not bring a version quota down: fail at once, so the run says why.
 */
class QuotaAwareRetryStrategy extends retry.StandardRetryStrategy {
    async refreshRetryTokenForRetry(token, errorInfo) {
        if ((0,errors/* errorName */.Is)(errorInfo.error) === 'LimitExceededException')
            throw errorInfo.error;
        return super.refreshRetryTokenForRetry(token, errorInfo);
    }
}
/**
 * One client per service and place (region, and account when it is another), sharing one
 * credentials provider per account: the main one (undefined = SDK default chain), or for a place
 * in another account the one `accountCredentials` gives (a role assumed in that account). All ECS
 * clients share one cap of `maxEcsInFlight` requests on the wire; reads also wait for the API
 * budget, when there is one, and writes are paced at ECS's own rate.
 */
function createClients(credentials, maxEcsInFlight = 10, accountCredentials = () => undefined, budget) {
    const secrets = new Map();
    const ecs = new Map();
    const ecsWriters = new Map();
    const codedeploys = new Map();
    const credentialsFor = (account) => (account ? accountCredentials(account) : undefined) ?? credentials;
    const config = (region, retry = RETRY, account) => ({
        region,
        credentials: credentialsFor(account),
        customUserAgent: constants/* USER_AGENT */._O,
        ...retry
    });
    const inFlight = (0,p_limit/* default */.A)(maxEcsInFlight);
    const prepare = (client, account) => {
        const used = credentialsFor(account);
        if (used && 'invalidate' in used)
            refreshOnExpiredToken(client, used);
        if (client instanceof client_ecs_dist_cjs/* ECSClient */.Zgc)
            capInFlight(client, inFlight);
        return client;
    };
    const budgeted = (client, place, service) => {
        if (budget)
            withApiBudget(client, budget, place, service);
        return client;
    };
    return {
        secretsManager: (region) => cached(secrets, region, () => prepare(new client_secrets_manager_dist_cjs/* SecretsManagerClient */._H({ ...config(region), retryStrategy: new QuotaAwareRetryStrategy(RETRY.maxAttempts) }))),
        ecs: (place) => cached(ecs, (0,aws_place/* placeKey */.r4)(place), () => budgeted(prepare(new client_ecs_dist_cjs/* ECSClient */.Zgc(config(place.region, RETRY, place.account)), place.account), place, 'ecs')),
        ecsWriter: (place) => cached(ecsWriters, (0,aws_place/* placeKey */.r4)(place), () => budgeted(prepare(new client_ecs_dist_cjs/* ECSClient */.Zgc(config(place.region, ADAPTIVE, place.account)), place.account), place, 'ecs')),
        codedeploy: (place) => cached(codedeploys, (0,aws_place/* placeKey */.r4)(place), () => budgeted(prepare(new client_codedeploy_dist_cjs/* CodeDeployClient */.cHd(config(place.region, RETRY, place.account)), place.account), place, 'codedeploy'))
    };
}
/**
 * Holds a slot only while a request is on the wire: added after the retry step, so neither a
 * backoff between attempts nor the adaptive rate limiter's wait keeps a slot from other calls.
 */
function capInFlight(client, inFlight) {
    client.middlewareStack.add((next) => (args) => inFlight(() => next(args)), {
        step: 'finalizeRequest',
        priority: 'low',
        name: 'secretRolloutCapInFlight'
    });
}
const EXPIRED = ['ExpiredTokenException', 'ExpiredToken'];
/**
 * A session can end before its stated expiry (revoked, or clocks disagree). The SDK does not
 * retry ExpiredTokenException, so assume the role again and send the request once more.
 * Added at the initialize step, so the retry resolves credentials and signs anew.
 */
function refreshOnExpiredToken(client, credentials) {
    ;
    client.middlewareStack.add((next) => async (args) => {
        try {
            return await next(args);
        }
        catch (error) {
            if (!EXPIRED.includes((0,errors/* errorName */.Is)(error) ?? ''))
                throw error;
            credentials.invalidate();
            return next(args);
        }
    }, { step: 'initialize', name: 'secretRolloutRefreshExpiredCredentials', priority: 'high' });
}
/** STS for the main session: without credentials for AssumeRoleWithWebIdentity, with them for AssumeRole. */
function createStsClient(region, credentials) {
    return new client_sts_dist_cjs/* STSClient */.iM({ region, credentials, customUserAgent: constants/* USER_AGENT */._O, ...RETRY });
}
function cached(map, key, make) {
    let value = map.get(key);
    if (!value)
        map.set(key, (value = make()));
    return value;
}

;// CONCATENATED MODULE: ./src/aws/oidc-claims.ts
/**
 * What a refused GitHub OIDC token said about the job, for the error message: the claims a trust
 * policy tests, read from the token's payload (its signature is never shown, nor the token), and
 * the trust-policy condition that would have matched them.
 */
/** The claims a trust policy can test; none of them is secret. */
const TRUST_CLAIMS = [
    'sub',
    'aud',
    'repository',
    'repository_id',
    'repository_owner_id',
    'ref',
    'environment',
    'job_workflow_ref',
    'event_name'
];
const PROVIDER = 'token.actions.githubusercontent.com';
/** The listed claims of a JWT's payload; empty when the token is not a JWT. Values are cut and stripped of control characters. */
function tokenClaims(token) {
    const payload = token.split('.')[1];
    if (!payload)
        return {};
    let parsed;
    try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    }
    catch {
        return {};
    }
    if (typeof parsed !== 'object' || parsed === null)
        return {};
    const claims = {};
    for (const name of TRUST_CLAIMS) {
        const value = parsed[name];
        if (typeof value === 'string' || typeof value === 'number') {
            claims[name] = [...String(value).slice(0, 200)].map((c) => (c < ' ' || c === '\u007f' ? ' ' : c)).join('');
        }
    }
    return claims;
}
/**
 * Both forms of `sub` for the job: `repo:<owner>/<repo>:<context>` (repositories named before
 * 2026-07-15) and the immutable `repo:<owner>@<owner id>/<repo>@<repo id>:<context>` (created or
 * renamed since). Undefined when the token lacks what either form needs.
 */
function subjectForms(claims) {
    const { sub, repository, repository_id: repoId, repository_owner_id: ownerId } = claims;
    const match = /^repo:[^:]+:(.+)$/.exec(sub ?? '');
    const [owner, repo] = (repository ?? '').split('/');
    if (!match || !owner || !repo || !repoId || !ownerId)
        return undefined;
    return { old: `repo:${owner}/${repo}:${match[1]}`, immutable: `repo:${owner}@${ownerId}/${repo}@${repoId}:${match[1]}` };
}
/** The trust-policy `Condition` that matches these claims, with both `sub` forms; undefined without sub and aud. */
function matchingCondition(claims) {
    if (!claims.sub || !claims.aud)
        return undefined;
    const forms = subjectForms(claims);
    const equals = {
        [`${PROVIDER}:aud`]: claims.aud,
        [`${PROVIDER}:sub`]: forms ? [forms.old, forms.immutable] : claims.sub
    };
    if (claims.repository_id)
        equals[`${PROVIDER}:repository_id`] = claims.repository_id;
    return { StringEquals: equals };
}
/** The sentences a refusal adds: the token's claims, and the condition that would match them. */
function explainClaims(token) {
    const claims = tokenClaims(token);
    const listed = TRUST_CLAIMS.filter((name) => claims[name] !== undefined).map((name) => `${name}=${claims[name]}`);
    if (listed.length === 0)
        return '';
    const condition = matchingCondition(claims);
    const forms = subjectForms(claims);
    return (` The job's token has (claims only; the token is never printed): ${listed.join(', ')}.` +
        (condition
            ? ` A trust-policy condition that matches this job${forms ? ', with sub in its old form (repo:owner/repo:...) and its immutable form (repo:owner@<owner id>/repo@<repo id>:..., for repositories created or renamed since 2026-07-15)' : ''}: ` +
                `"Condition": ${JSON.stringify(condition)}`
            : ''));
}

;// CONCATENATED MODULE: ./src/aws/oidc-credentials.ts




/** Why the role could not be assumed; never retried by the pipeline. */
class CredentialsError extends Error {
    name = 'CredentialsError';
}
// Keyed by the names the SDK gives the errors: STS's modelled errors end in `Exception`
// (on the wire `InvalidIdentityToken`, in the SDK `InvalidIdentityTokenException`); the
// unmodelled AccessDenied and ValidationError keep their wire code.
const HINTS = {
    AccessDenied: "check the role's trust policy: it must trust token.actions.githubusercontent.com, with :aud equal to the `audience` input and :sub matching this job (repo:<owner>/<repo>:..., or repo:<owner>@<owner id>/<repo>@<repo id>:... for repositories created or renamed since 2026-07-15)",
    InvalidIdentityTokenException: 'the account needs an IAM OIDC identity provider for token.actions.githubusercontent.com whose audience matches the `audience` input',
    IDPRejectedClaimException: 'the role trust policy rejected a claim of the token: compare its :sub and :aud conditions with this job',
    IDPCommunicationErrorException: 'STS could not reach the identity provider to check the token; run the job again',
    ExpiredTokenException: "the job's OIDC token expired before STS saw it; run the job again",
    ValidationError: 'check role-to-assume, role-session-name and role-duration-seconds'
};
/** STS refused the token or the role's trust policy refused its claims: the claims say why. */
const REFUSALS = ['AccessDenied', 'IDPRejectedClaimException', 'InvalidIdentityTokenException'];
/** The hint for an STS error; a duration above the role's maximum gets its own. */
function stsHint(error, durationSeconds) {
    const name = error.name ?? '';
    const message = error instanceof Error ? error.message : '';
    if (name === 'ValidationError' && /MaxSessionDuration/i.test(message)) {
        return (`\`${constants/* Inputs */.G0.RoleDurationSeconds}\` (${durationSeconds}) is above the role's maximum session duration (1 hour unless raised): ` +
            `lower \`${constants/* Inputs */.G0.RoleDurationSeconds}\`, or raise the role's MaxSessionDuration (aws iam update-role --max-session-duration)`);
    }
    return HINTS[name];
}
/** Exchanges a fresh GitHub OIDC token for role credentials and masks them. */
async function assumeRoleWithOidc(role, deps) {
    if (!deps.env.ACTIONS_ID_TOKEN_REQUEST_URL || !deps.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        throw new CredentialsError(`\`${constants/* Inputs */.G0.RoleToAssume}\` is set, but this job cannot request an OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set). ` +
            'Add `permissions: id-token: write` to the job or workflow. Pull requests from forks never get one.');
    }
    let token;
    try {
        token = await deps.getIDToken(role.audience);
    }
    catch (error) {
        throw new CredentialsError(`Could not get the job's OIDC token for audience "${role.audience}": ${(0,errors/* describeAwsError */.Pp)(error)}`);
    }
    deps.mask(token);
    try {
        const { Credentials: c } = await deps.sts.send(new client_sts_dist_cjs/* AssumeRoleWithWebIdentityCommand */.WH({
            RoleArn: role.arn,
            RoleSessionName: role.sessionName,
            WebIdentityToken: token,
            DurationSeconds: role.durationSeconds
        }));
        if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
            throw new Error('STS returned no credentials');
        for (const secret of [c.AccessKeyId, c.SecretAccessKey, c.SessionToken])
            deps.mask(secret);
        return {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            expiration: c.Expiration
        };
    }
    catch (error) {
        const found = stsHint(error, role.durationSeconds);
        const hint = found ? ` Hint: ${found}.` : '';
        const claims = REFUSALS.includes((0,errors/* errorName */.Is)(error) ?? '') ? explainClaims(token) : '';
        throw new CredentialsError(`Could not assume role ${role.arn} with OIDC: ${(0,errors/* awsErrorSentence */.hG)(error)}${hint}${claims}`);
    }
}
/**
 * A provider shared by every SDK client: assumes the role once, then again shortly before the
 * session expires (a rollout can outlast the session), or after `invalidate()`.
 */
function oidcCredentialsProvider(role, deps) {
    return refreshingProvider(() => assumeRoleWithOidc(role, deps), deps.clock);
}
/**
 * Caches the session `assume` returns and calls it again 5 minutes before it expires (or after
 * three quarters of a shorter session), or after `invalidate()`; concurrent callers share one call.
 */
function refreshingProvider(assume, clock) {
    let current;
    let inFlight;
    const renew = async () => {
        const issuedAt = clock.now();
        const identity = await assume();
        const expiresAt = identity.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
        const margin = Math.min(300_000, (expiresAt - issuedAt) / 4);
        current = { identity, refreshAt: expiresAt - margin };
        return identity;
    };
    const provider = async () => {
        if (current && clock.now() < current.refreshAt)
            return current.identity;
        inFlight ??= renew().finally(() => (inFlight = undefined));
        return inFlight;
    };
    return Object.assign(provider, { invalidate: () => (current = undefined), memoized: true });
}

;// CONCATENATED MODULE: ./src/aws/cross-account.ts





/** AWS caps a session assumed with another role's session (role chaining) at one hour. */
const ROLE_CHAINING_MAX_SECONDS = 3600;
/** The account the main credentials act in (GetCallerIdentity), for telling other accounts apart. */
async function callerAccount(sts) {
    try {
        const { Account } = await sts.send(new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({}));
        if (!Account)
            throw new Error('GetCallerIdentity returned no account');
        return Account;
    }
    catch (error) {
        throw new CredentialsError(`Could not tell which account the credentials are in (sts:GetCallerIdentity): ${(0,errors/* awsErrorSentence */.hG)(error)}`);
    }
}
/**
 * Credentials for the role of another account, assumed from the main session and renewed
 * before they end like the main session. Errors name the role, its account and the input.
 */
function crossAccountProvider(roleArn, deps) {
    const account = (0,dist_cjs/* parse */.qg)(roleArn).accountId;
    const durationSeconds = Math.min(deps.durationSeconds, ROLE_CHAINING_MAX_SECONDS);
    return refreshingProvider(async () => {
        try {
            const { Credentials: c } = await deps.sts.send(new client_sts_dist_cjs/* AssumeRoleCommand */.QL({ RoleArn: roleArn, RoleSessionName: deps.sessionName, DurationSeconds: durationSeconds }));
            if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
                throw new Error('STS returned no credentials');
            for (const secret of [c.AccessKeyId, c.SecretAccessKey, c.SessionToken])
                deps.mask(secret);
            return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
        }
        catch (error) {
            const hint = (0,errors/* errorName */.Is)(error) === 'AccessDenied'
                ? `the trust policy of ${roleArn} must allow sts:AssumeRole by the principal of the main session (the role of \`${constants/* Inputs */.G0.RoleToAssume}\`, or the credentials in the environment)`
                : stsHint(error, durationSeconds);
            throw new CredentialsError(`\`${constants/* Inputs */.G0.CrossAccountRoles}\`: could not assume ${roleArn} for account ${account}: ${(0,errors/* awsErrorSentence */.hG)(error)}${hint ? ` Hint: ${hint}.` : ''}`);
        }
    }, deps.clock);
}

;// CONCATENATED MODULE: ./src/stages/credentials.ts







/**
 * Credentials and accounts: the role assumed with the job's OIDC token (or the environment's
 * credentials), then each cross-account role, all now, so a trust problem stops the run before
 * any write; and the clients built on them.
 */
async function credentialsStage(ctx, settings, getIDToken) {
    const credentials = await mainCredentials(ctx, settings, getIDToken);
    // allowed-account-ids: a role's account was checked with the inputs; the environment's is known only from STS.
    if (!settings.role && settings.allowedAccountIds.length > 0) {
        (0,allowed_accounts/* refuseUnlistedAccount */.wq)(await callerAccount(createStsClient(settings.region)), settings.allowedAccountIds);
    }
    const accounts = await otherAccounts(ctx, settings, credentials);
    const budget = new ApiBudget(settings.apiBudgetPercent, ctx.clock);
    const clients = createClients(credentials, settings.maxConcurrency, accounts?.credentials, budget);
    return { clients, budget, mainAccount: accounts?.main };
}
async function mainCredentials(ctx, settings, getIDToken) {
    if (!settings.role) {
        ctx.log.info('No role-to-assume: using the credentials already in the environment');
        return undefined;
    }
    const provider = oidcCredentialsProvider(settings.role, {
        getIDToken,
        sts: createStsClient(settings.region),
        mask: ctx.log.mask,
        env: ctx.env,
        clock: ctx.clock
    });
    // Assume the role now, so a trust-policy problem stops the step before anything else.
    await provider();
    ctx.log.info(`Assumed role ${settings.role.arn} as session ${settings.role.sessionName}`);
    return provider;
}
/**
 * Credentials for services and clusters in other accounts: each role of cross-account-roles
 * assumed from the main session now, once the inputs that needed the account have passed.
 */
async function otherAccounts(ctx, settings, credentials) {
    const accounts = [...settings.services, ...settings.discoverIn].map((r) => r.account).filter((a) => Boolean(a));
    if (accounts.length === 0 && settings.crossAccountRoles.size === 0)
        return undefined;
    const sts = createStsClient(settings.region, credentials);
    const main = settings.role ? (0,dist_cjs/* parse */.qg)(settings.role.arn).accountId : await callerAccount(sts);
    // Input checks that need the account: they live in settings/ and throw InputError ("Invalid input").
    (0,src_settings/* checkOnceAccountKnown */.Y$)(settings, main);
    const providers = new Map();
    for (const [account, roleArn] of settings.crossAccountRoles) {
        const provider = crossAccountProvider(roleArn, {
            sts,
            sessionName: settings.role?.sessionName ?? (0,src_settings/* defaultSessionName */.te)(settings.run),
            durationSeconds: settings.role?.durationSeconds ?? ROLE_CHAINING_MAX_SECONDS,
            clock: ctx.clock,
            mask: ctx.log.mask
        });
        await provider();
        ctx.log.info(`Assumed role ${roleArn} for account ${account}`);
        providers.set(account, provider);
    }
    return { main, credentials: (account) => (account === main ? undefined : providers.get(account)) };
}

;// CONCATENATED MODULE: ./src/collections.ts
/** Small helpers over lists, one per idea, so no module writes its own. */
/** Items grouped by a key, each group in the items' order; groups in order of first appearance. */
function groupBy(items, keyOf) {
    const groups = new Map();
    for (const item of items) {
        const key = keyOf(item);
        const group = groups.get(key);
        if (group)
            group.push(item);
        else
            groups.set(key, [item]);
    }
    return groups;
}
/** The items in chunks of at most `size`, for batch APIs. */
function chunks(items, size) {
    const out = [];
    for (let i = 0; i < items.length; i += size)
        out.push(items.slice(i, i + size));
    return out;
}

;// CONCATENATED MODULE: ./src/ecs/batches.ts


/** DescribeServices takes at most 10 services, all of one cluster. */
const DESCRIBE_SERVICES_MAX = 10;
/** One key per cluster: the same cluster name in another account or region is another cluster. */
function clusterKey(ref) {
    return `${ref.account ?? ''}\0${ref.region}\0${ref.cluster}`;
}
/** Groups services by region and cluster, in chunks DescribeServices accepts. */
function clusterBatches(refs) {
    return [...groupBy(refs, clusterKey).values()].flatMap((group) => chunks(group, DESCRIBE_SERVICES_MAX).map((batch) => ({ region: group[0].region, cluster: group[0].cluster, refs: batch })));
}

/** One DescribeServices call per batch, all at once (the clients cap how many are in flight). */
async function describeInBatches(ecs, refs) {
    const seen = new Map();
    await Promise.all(clusterBatches(refs).map(async (batch) => {
        try {
            const out = await ecs(batch.refs[0]).send(new client_ecs_dist_cjs/* DescribeServicesCommand */.H7c({ cluster: batch.cluster, services: batch.refs.map((r) => r.service) }));
            for (const ref of batch.refs) {
                const service = out.services?.find((s) => s.serviceName === ref.service);
                const failure = out.failures?.find((f) => f.arn === ref.service || f.arn?.endsWith(`/${ref.service}`));
                seen.set(ref, service ? { service } : { missing: failure?.reason ?? 'not returned by DescribeServices' });
            }
        }
        catch (error) {
            for (const ref of batch.refs)
                seen.set(ref, { error });
        }
    }));
    return seen;
}

;// CONCATENATED MODULE: ./src/ecs/secret-references.ts
/** The SSM parameter path that passes a Secrets Manager secret through Parameter Store. */
const SSM_SECRETS_MANAGER_PREFIX = '/aws/reference/secretsmanager/';
/**
 * Whether a reference reads this secret, following how ECS resolves it:
 * - a Secrets Manager ARN (full, or without the random suffix), optionally followed by
 *   `:json-key:version-stage:version-id` (secrets and secretOptions only);
 * - an SSM parameter that references Secrets Manager, `/aws/reference/secretsmanager/<name>`,
 *   by name (in the task's region) or by parameter ARN; `:<selector>` after it pins a version;
 * - a bare name only in `repositoryCredentials`, where ECS takes it as a secret of the task's
 *   region. In `secrets`/`secretOptions` a bare name is an SSM parameter, never this secret.
 * Pure, so every form is easy to test.
 */
function matchSecretReference(valueFrom, secret, site) {
    const own = arnParts(secret.arn);
    if (!own)
        return undefined;
    const regions = secret.regions ?? [own.region];
    const readable = (partition, region, account) => partition === own.partition && account === own.account && regions.includes(region);
    const fullName = own.resource.slice('secret:'.length);
    const isThis = (name) => name === fullName || name === secret.name;
    if (valueFrom.startsWith('arn:')) {
        const parts = valueFrom.split(':');
        const [, partition, service, region, account] = parts;
        if (service === 'ssm') {
            const parameter = parts.slice(5).join(':');
            if (!parameter.startsWith(`parameter${SSM_SECRETS_MANAGER_PREFIX}`) || !readable(partition, region, account))
                return undefined;
            return matchSsmReference(valueFrom, parameter.slice('parameter'.length), secret, isThis);
        }
        // arn : partition : secretsmanager : region : account : secret : name [: key : stage : id]
        if (service !== 'secretsmanager' || parts[5] !== 'secret' || !readable(partition, region, account))
            return undefined;
        if (!isThis(parts[6] ?? ''))
            return undefined;
        if (site.field === 'repositoryCredentials')
            return parts.length === 7 ? { valueFrom, pinned: false } : undefined;
        return withVersion(valueFrom, parts.slice(7));
    }
    if (!regions.includes(site.region))
        return undefined;
    if (valueFrom.startsWith(SSM_SECRETS_MANAGER_PREFIX) && site.field !== 'repositoryCredentials') {
        return matchSsmReference(valueFrom, valueFrom, secret, isThis);
    }
    if (site.field === 'repositoryCredentials' && isThis(valueFrom))
        return { valueFrom, pinned: false };
    return undefined;
}
/**
 * `/aws/reference/secretsmanager/<secret id>[:<selector>]`: the id is the secret's name or
 * ARN; a selector (`name:<version>`, the way GetParameter picks a version) pins it.
 */
function matchSsmReference(valueFrom, path, secret, isThis) {
    const id = path.slice(SSM_SECRETS_MANAGER_PREFIX.length);
    if (id.startsWith('arn:')) {
        const parts = id.split(':');
        const own = arnParts(secret.arn);
        if (parts[2] !== 'secretsmanager' || parts[5] !== 'secret' || parts[1] !== own?.partition || parts[4] !== own.account)
            return undefined;
        if (!(secret.regions ?? [own.region]).includes(parts[3]) || !isThis(parts[6] ?? ''))
            return undefined;
        const versionId = parts[7] || undefined;
        return { valueFrom, versionId, pinned: Boolean(versionId) };
    }
    const [name, selector] = id.split(':');
    if (!isThis(name))
        return undefined;
    const versionId = selector || undefined;
    return { valueFrom, versionId, pinned: Boolean(versionId) };
}
/** `json-key:version-stage:version-id`, the suffix ECS accepts after a Secrets Manager ARN. */
function withVersion(valueFrom, rest) {
    const [jsonKey, versionStage, versionId] = rest.map((p) => p || undefined);
    const pinned = Boolean(versionId) || (versionStage !== undefined && versionStage !== 'AWSCURRENT');
    return { valueFrom, jsonKey, versionStage, versionId, pinned };
}
function arnParts(arn) {
    const [prefix, partition, , region, account, ...resource] = arn.split(':');
    if (prefix !== 'arn' || resource.length === 0)
        return undefined;
    return { partition, region, account, resource: resource.join(':') };
}

;// CONCATENATED MODULE: ./src/ecs/discover.ts



/**
 * Finds the services in `clusters` whose task definition reads the secret: lists every service
 * (paginated), describes them in batches of 10, and reads each distinct task definition once.
 */
async function discoverServices(ecs, clusters, secret) {
    const refs = [];
    for (const cluster of clusters) {
        for await (const page of (0,client_ecs_dist_cjs/* paginateListServices */.wjm)({ client: ecs(cluster), pageSize: 100 }, { cluster: cluster.cluster })) {
            for (const arn of page.serviceArns ?? []) {
                const service = arn.split('/').pop();
                refs.push({
                    cluster: cluster.cluster,
                    clusterName: cluster.clusterName,
                    service,
                    region: cluster.region,
                    account: cluster.account,
                    label: `${cluster.clusterName}/${service}`,
                    line: cluster.line
                });
            }
        }
    }
    const described = await describeInBatches(ecs, refs);
    // Many services share a task definition: read each one once.
    const taskDefinitions = new Map();
    const read = (place, arn) => {
        let pending = taskDefinitions.get(arn);
        if (!pending) {
            pending = ecs(place)
                .send(new client_ecs_dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: arn }))
                .then((out) => out.taskDefinition);
            taskDefinitions.set(arn, pending);
        }
        return pending;
    };
    const found = await Promise.all(refs.map(async (ref) => {
        const seen = described.get(ref);
        if (!seen || !('service' in seen)) {
            if (seen && 'error' in seen)
                throw seen.error;
            return undefined;
        }
        const arn = seen.service.taskDefinition;
        if (!arn || seen.service.status !== 'ACTIVE')
            return undefined;
        const definition = await read(ref, arn);
        const references = secretReferences(definition, secret, ref.region);
        return references.length > 0 ? { ref, taskDefinition: arn, references } : undefined;
    }));
    return {
        found: found.filter((d) => Boolean(d)),
        servicesScanned: refs.length,
        taskDefinitionsRead: taskDefinitions.size
    };
}
/**
 * Every place a container reads the secret at launch: its environment (`secrets`), its log
 * driver (`logConfiguration.secretOptions`) and its registry login (`repositoryCredentials`).
 */
function secretReferences(definition, secret, region) {
    const references = [];
    const add = (container, variable, field, valueFrom) => {
        const match = valueFrom ? matchSecretReference(valueFrom, secret, { field, region }) : undefined;
        if (match)
            references.push({ container, variable, field, ...match });
    };
    for (const container of definition?.containerDefinitions ?? []) {
        const name = container.name ?? '?';
        for (const s of container.secrets ?? [])
            add(name, s.name ?? '?', 'secrets', s.valueFrom);
        for (const s of container.logConfiguration?.secretOptions ?? [])
            add(name, `logConfiguration.${s.name ?? '?'}`, 'logConfiguration.secretOptions', s.valueFrom);
        add(name, 'repositoryCredentials', 'repositoryCredentials', container.repositoryCredentials?.credentialsParameter);
    }
    return references;
}

// EXTERNAL MODULE: ./src/service-list.ts
var service_list = __webpack_require__(1349);
;// CONCATENATED MODULE: ./src/stages/discovery.ts


/**
 * Adds the services whose task definitions read the secret to the listed ones (without
 * duplicates). Services whose every reference is pinned keep the old value whatever happens:
 * they are reported, not redeployed.
 */
async function discoveryStage(ctx, settings, clients, secret, mainAccount) {
    const discovery = await discoverServices(clients.ecs, settings.discoverIn, secret);
    const key = (r) => (0,service_list/* serviceKey */.jq)(r, mainAccount);
    const listed = new Set(settings.services.map(key));
    const added = discovery.found.filter((d) => d.references.some((r) => !r.pinned) && !listed.has(key(d.ref))).map((d) => d.ref);
    ctx.log.info(`Discovery: ${discovery.servicesScanned} services in ${settings.discoverIn.length} clusters, ${discovery.taskDefinitionsRead} task definitions read; ` +
        `${discovery.found.length} read ${secret.name}, ${added.length} added to the ${settings.services.length} listed`);
    return { discovery, services: [...settings.services, ...added] };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/codedeploy/appspec.ts
/**
 * The task definition, container and port of a CODE_DEPLOY service, from DescribeServices: the
 * PRIMARY task set's task definition (the service's own field as a fallback) and the load
 * balancer's container. Returns why not, when the service lacks one of them.
 */
function appSpecTarget(service) {
    const primary = service.taskSets?.find((t) => t.status === 'PRIMARY');
    const taskDefinition = primary?.taskDefinition ?? service.taskDefinition;
    const lb = (primary?.loadBalancers ?? service.loadBalancers ?? []).find((l) => l.containerName && l.containerPort);
    if (!taskDefinition)
        return { problem: 'it has no PRIMARY task set with a task definition' };
    if (!lb?.containerName || !lb.containerPort)
        return { problem: 'it has no load balancer container and port for a blue/green deployment' };
    return { taskDefinition, containerName: lb.containerName, containerPort: lb.containerPort, platformVersion: primary?.platformVersion };
}
/**
 * The AppSpec (JSON, which CodeDeploy accepts as YAML) of a deployment that replaces the task set
 * with one of the same task definition, as ECS's console does for a CODE_DEPLOY service.
 */
function appSpecContent(target) {
    const properties = {
        TaskDefinition: target.taskDefinition,
        LoadBalancerInfo: { ContainerName: target.containerName, ContainerPort: target.containerPort }
    };
    if (target.platformVersion && target.platformVersion !== 'LATEST')
        properties.PlatformVersion = target.platformVersion;
    // JSON.stringify writes 0.0 as 0; the AppSpec version is written 0.0.
    const resources = JSON.stringify([{ TargetService: { Type: 'AWS::ECS::Service', Properties: properties } }]);
    return `{"version":0.0,"Resources":${resources}}`;
}

;// CONCATENATED MODULE: ./src/codedeploy/deployment-groups.ts

/** BatchGetDeploymentGroups takes at most 100 names. */
const BATCH_MAX = 100;
/** `cluster/service` (cluster name, not ARN), as CodeDeploy's ecsServices name them. */
const ecsServiceKey = (clusterName, service) => `${clusterName}/${service}`;
/**
 * Every deployment group of compute platform ECS in a region, indexed by the ECS services it
 * names. CodeDeploy has no lookup by service, so this reads every application's groups: one
 * ListApplications page, one ListDeploymentGroups per application, one BatchGetDeploymentGroups
 * per 100 groups. A service named by more than one group maps to all of them.
 */
async function ecsDeploymentGroups(codedeploy) {
    const applications = [];
    for await (const page of (0,client_codedeploy_dist_cjs/* paginateListApplications */.Piy)({ client: codedeploy }, {}))
        applications.push(...(page.applications ?? []));
    const byService = new Map();
    await Promise.all(applications.map(async (application) => {
        const names = [];
        for await (const page of (0,client_codedeploy_dist_cjs/* paginateListDeploymentGroups */.$cP)({ client: codedeploy }, { applicationName: application })) {
            names.push(...(page.deploymentGroups ?? []));
        }
        for (let i = 0; i < names.length; i += BATCH_MAX) {
            const out = await codedeploy.send(new client_codedeploy_dist_cjs/* BatchGetDeploymentGroupsCommand */.rUZ({ applicationName: application, deploymentGroupNames: names.slice(i, i + BATCH_MAX) }));
            for (const info of out.deploymentGroupsInfo ?? []) {
                if (info.computePlatform !== 'ECS' || !info.deploymentGroupName)
                    continue;
                for (const s of info.ecsServices ?? []) {
                    if (!s.clusterName || !s.serviceName)
                        continue;
                    const key = ecsServiceKey(s.clusterName, s.serviceName);
                    byService.set(key, [...(byService.get(key) ?? []), { application, group: info.deploymentGroupName }]);
                }
            }
        }
    }));
    return byService;
}

;// CONCATENATED MODULE: ./src/ecs/kinds/codedeploy.ts








/** BatchGetDeployments takes at most 25 ids. */
const codedeploy_BATCH_MAX = 25;
const MAX_EVENTS = 2;
/**
 * A service whose deployment controller is CODE_DEPLOY (ECS refuses a forced new deployment for
 * it): redeployed the way ECS's console does it, by a CodeDeploy deployment of the deployment
 * group whose ecsServices name the service, with an AppSpec that reuses the service's current
 * task definition and load-balancer container and port. Followed by its `d-…` id.
 */
function codeDeployKind() {
    const plans = new Map();
    // Deployment groups are read once per place and round: CodeDeploy has no lookup by service.
    const groupIndexes = new Map();
    // Marks this round's deployments, so a retried CreateDeployment can recognise its own.
    const description = `secret-rollout: redeploy with the same task definition (${(0,external_node_crypto_.randomUUID)()})`;
    const kind = {
        name: 'codedeploy',
        description: 'CodeDeploy blue/green (new deployment, same task definition)',
        startCall: 'CreateDeployment',
        async choose(ref, service, codedeploy) {
            const target = appSpecTarget(service);
            if ('problem' in target)
                return { refused: `its deployment controller is CODE_DEPLOY, but ${target.problem}` };
            let index = groupIndexes.get((0,aws_place/* placeKey */.r4)(ref));
            if (!index) {
                index = ecsDeploymentGroups(codedeploy);
                groupIndexes.set((0,aws_place/* placeKey */.r4)(ref), index);
            }
            let groups;
            try {
                groups = (await index).get(ecsServiceKey(ref.clusterName, ref.service)) ?? [];
            }
            catch (error) {
                return {
                    refused: `its deployment controller is CODE_DEPLOY, and its CodeDeploy deployment group could not be looked up: ${(0,errors/* describeAwsError */.Pp)(error)}`
                };
            }
            if (groups.length === 0) {
                return {
                    refused: `its deployment controller is CODE_DEPLOY, and no CodeDeploy deployment group (compute platform ECS) in ${ref.region} names it in its ECS services: only CodeDeploy can deploy it`
                };
            }
            if (groups.length > 1) {
                const names = groups.map((g) => `${g.application}/${g.group}`).join(', ');
                return {
                    refused: `its deployment controller is CODE_DEPLOY, and ${groups.length} CodeDeploy deployment groups name it (${names}): which one deploys it is ambiguous`
                };
            }
            plans.set((0,service_list/* serviceKey */.jq)(ref), { group: groups[0], target, desiredCount: service.desiredCount });
            return { kind };
        },
        async start(ref, ctx) {
            const plan = plans.get((0,service_list/* serviceKey */.jq)(ref));
            if (!plan)
                throw new Error('no CodeDeploy deployment group was chosen for it at preflight');
            const codedeploy = ctx.codedeploy(ref);
            const create = new client_codedeploy_dist_cjs/* CreateDeploymentCommand */.ttP({
                applicationName: plan.group.application,
                deploymentGroupName: plan.group.group,
                description,
                revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpecContent(plan.target) } }
            });
            try {
                const { deploymentId } = await codedeploy.send(create, { abortSignal: ctx.signal });
                if (!deploymentId)
                    throw new Error('CreateDeployment returned no deployment id');
                return { deploymentId, desiredCount: plan.desiredCount };
            }
            catch (error) {
                // CreateDeployment takes no idempotency token: when an answer was lost and the SDK sent it
                // again, the group's active deployment may be the one this round created.
                const ours = (0,errors/* errorName */.Is)(error) === 'DeploymentLimitExceededException' ? await ownActiveDeployment(codedeploy, error, description) : undefined;
                if (ours)
                    return { deploymentId: ours, desiredCount: plan.desiredCount };
                throw error;
            }
        },
        async observe(outcomes, ctx) {
            const observations = new Map();
            const byPlace = new Map();
            for (const o of outcomes)
                byPlace.set((0,aws_place/* placeKey */.r4)(o.ref), [...(byPlace.get((0,aws_place/* placeKey */.r4)(o.ref)) ?? []), o]);
            await Promise.all([...byPlace.values()].flatMap((group) => chunks(group, codedeploy_BATCH_MAX).map(async (batch) => {
                const place = batch[0].ref;
                try {
                    const out = await ctx
                        .codedeploy(place)
                        .send(new client_codedeploy_dist_cjs/* BatchGetDeploymentsCommand */.ARk({ deploymentIds: batch.map((o) => o.deploymentId) }));
                    for (const o of batch) {
                        const info = out.deploymentsInfo?.find((d) => d.deploymentId === o.deploymentId);
                        observations.set(o.ref, info ? observeDeployment(info) : { state: 'unseen', warning: `BatchGetDeployments did not return ${o.deploymentId}` });
                    }
                }
                catch (error) {
                    for (const o of batch)
                        observations.set(o.ref, { state: 'unseen', warning: (0,errors/* describeAwsError */.Pp)(error) });
                }
            })));
            await addTaskSets(observations, outcomes, ctx);
            return observations;
        },
        async explain(outcome, ctx) {
            if (!outcome.deploymentId)
                return [];
            try {
                return await lifecycleEvents(ctx.codedeploy(outcome.ref), outcome.deploymentId, outcome.reason ?? '');
            }
            catch {
                // Lifecycle events only add to the reason the deployment's status gave.
                return [];
            }
        }
    };
    return kind;
}
/**
 * For deployments that succeeded: the id of the service's PRIMARY task set, which its tasks carry
 * in `startedBy` (what the rollout proof checks). Unseen this round when it cannot be read.
 */
async function addTaskSets(observations, outcomes, ctx) {
    const done = outcomes.filter((o) => observations.get(o.ref)?.state === 'succeeded');
    if (done.length === 0)
        return;
    const seen = await describeInBatches((place) => ctx.ecs(place), done.map((o) => o.ref));
    for (const o of done) {
        const found = seen.get(o.ref);
        const primary = found && 'service' in found ? found.service.taskSets?.find((t) => t.status === 'PRIMARY') : undefined;
        if (primary?.id) {
            observations.set(o.ref, {
                state: 'succeeded',
                tasksStartedBy: primary.id,
                runningCount: primary.runningCount,
                desiredCount: primary.computedDesiredCount
            });
        }
        else {
            const why = found && 'error' in found ? (0,errors/* describeAwsError */.Pp)(found.error) : 'no PRIMARY task set';
            observations.set(o.ref, { state: 'unseen', warning: `${o.deploymentId} succeeded; its task set could not be read: ${why}` });
        }
    }
}
/** Where a CodeDeploy deployment stands, from BatchGetDeployments. */
function observeDeployment(info) {
    const id = info.deploymentId ?? '?';
    switch (info.status) {
        case 'Succeeded':
            return { state: 'succeeded' };
        case 'Failed':
        case 'Stopped': {
            const error = info.errorInformation;
            const why = error ? `: ${[error.code, error.message].filter(Boolean).join(': ')}` : '';
            return { state: 'failed', reason: `CodeDeploy deployment ${id} ${info.status}${why}` };
        }
        case 'Ready':
            return {
                state: 'in-progress',
                progress: `CodeDeploy deployment ${id} Ready: waiting for traffic to be rerouted to the replacement task set`
            };
        default:
            return { state: 'in-progress', progress: `CodeDeploy deployment ${id} ${info.status ?? 'in an unknown state'}` };
    }
}
/** The group's active deployment named in a DeploymentLimitExceededException, if this round created it. */
async function ownActiveDeployment(codedeploy, error, description) {
    const id = /'(d-[A-Z0-9]+)'/.exec(error instanceof Error ? error.message : '')?.[1];
    if (!id)
        return undefined;
    try {
        const { deploymentInfo } = await codedeploy.send(new client_codedeploy_dist_cjs/* GetDeploymentCommand */.Tvn({ deploymentId: id }));
        return deploymentInfo?.description === description ? id : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * The ECS target's lifecycle events that failed, or the one still running, in CodeDeploy's words
 * (a message the reason already quotes is not repeated).
 */
async function lifecycleEvents(codedeploy, deploymentId, known) {
    const { targetIds } = await codedeploy.send(new client_codedeploy_dist_cjs/* ListDeploymentTargetsCommand */.$9V({ deploymentId }));
    if (!targetIds?.length)
        return [];
    const { deploymentTargets } = await codedeploy.send(new client_codedeploy_dist_cjs/* BatchGetDeploymentTargetsCommand */.Bsg({ deploymentId, targetIds: targetIds.slice(0, 25) }));
    const details = [];
    for (const target of deploymentTargets ?? []) {
        for (const event of target.ecsTarget?.lifecycleEvents ?? []) {
            if (event.status === 'Failed') {
                const message = event.diagnostics?.message;
                details.push(`lifecycle event ${event.lifecycleEventName} Failed${message && !known.includes(message) ? `: ${message}` : ''}`);
            }
            else if (event.status === 'InProgress') {
                const since = event.startTime ? ` since ${event.startTime.toISOString()}` : '';
                details.push(`lifecycle event ${event.lifecycleEventName} still InProgress${since}`);
            }
        }
    }
    return details.slice(0, MAX_EVENTS);
}

;// CONCATENATED MODULE: ./src/ecs/classify.ts
/**
 * Where the deployment this action started stands, from one DescribeServices answer.
 * A forced redeploy keeps the task definition, so the deployment is followed by its id:
 * after a circuit-breaker rollback the service runs an older deployment with the same
 * task definition, which must not count as success.
 */
function classifyDeployment(service, deploymentId) {
    if (service.status !== 'ACTIVE')
        return { state: 'failed', reason: `service became ${service.status}` };
    const deployments = service.deployments ?? [];
    const ours = deployments.find((d) => d.id === deploymentId);
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    if (!ours) {
        const rolledBack = primary ? `; the service now runs deployment ${primary.id}` : '';
        return { state: 'failed', reason: `deployment ${deploymentId} is gone (rolled back by the circuit breaker?)${rolledBack}` };
    }
    if (ours.rolloutState === 'FAILED') {
        return { state: 'failed', reason: `deployment failed: ${ours.rolloutStateReason ?? 'no reason given'}` };
    }
    if (ours.status !== 'PRIMARY') {
        return {
            state: 'failed',
            reason: `deployment ${deploymentId} was replaced by ${primary?.id ?? 'another deployment'} (a rollback or another deploy)`
        };
    }
    const done = ours.rolloutState === 'COMPLETED' || (!ours.rolloutState && deployments.length === 1 && ours.runningCount === ours.desiredCount);
    if (done)
        return { state: 'succeeded' };
    return {
        state: 'in-progress',
        progress: `${ours.runningCount ?? 0}/${ours.desiredCount ?? 0} running, ${ours.pendingCount ?? 0} pending, rollout ${ours.rolloutState ?? 'without state'}`
    };
}

;// CONCATENATED MODULE: ./src/ecs/failure-details.ts

const failure_details_MAX_EVENTS = 2;
const MAX_TASK_REASONS = 2;
/**
 * Why a deployment failed or is stuck, in the words ECS used: the latest service events since
 * the deployment began and the stoppedReason of its stopped tasks (for example a task that could
 * not read the secret). Only called for services that did not succeed, so it is off the poll path.
 */
async function explainDeployment(ecs, outcome, service) {
    let taskReasons = [];
    if (outcome.deploymentId) {
        try {
            taskReasons = await stoppedTaskReasons(ecs, outcome, outcome.deploymentId);
        }
        catch {
            // Task details only add to a reason we already have.
        }
    }
    // The most specific first: why tasks stopped, then events that say something new.
    const since = outcome.deploymentCreatedAt?.getTime() ?? 0;
    const events = (service?.events ?? [])
        .filter((e) => (e.createdAt?.getTime() ?? 0) >= since && e.message)
        .map((e) => e.message)
        .filter((m) => !/has reached a steady state|has started/.test(m) && !taskReasons.some((r) => m.includes(r)) && !outcome.reason?.includes(m))
        .slice(0, failure_details_MAX_EVENTS);
    return [...taskReasons.map((r) => `stopped task: ${r}`), ...events.map((m) => `event: ${m}`)];
}
async function stoppedTaskReasons(ecs, outcome, deploymentId) {
    const { cluster, service } = outcome.ref;
    const listed = await ecs.send(new client_ecs_dist_cjs/* ListTasksCommand */.MYg({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: 100 }));
    if (!listed.taskArns?.length)
        return [];
    const { tasks } = await ecs.send(new client_ecs_dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: listed.taskArns }));
    const reasons = new Set();
    for (const task of tasks ?? []) {
        // Service tasks carry their deployment's id in startedBy.
        if (task.startedBy !== deploymentId)
            continue;
        const container = task.containers?.find((c) => c.reason)?.reason;
        const reason = [task.stoppedReason, container].filter(Boolean).join(' / ');
        if (reason)
            reasons.add(reason);
    }
    return [...reasons].slice(0, MAX_TASK_REASONS);
}

;// CONCATENATED MODULE: ./src/ecs/kinds/rolling.ts





/**
 * The ECS deployment controller's rolling update: `UpdateService` with `forceNewDeployment`
 * starts a deployment that replaces every task, followed by its id in `deployments[]`.
 */
function rollingKind() {
    // The last DescribeServices answer per service, for the events `explain` quotes.
    const lastSeen = new Map();
    return {
        name: 'rolling',
        description: 'rolling update (forced new deployment)',
        startCall: 'UpdateService',
        async start(ref, ctx) {
            return (await forceNewDeployment(ref, ctx)).started;
        },
        async observe(outcomes, ctx) {
            const seen = await describeInBatches((place) => ctx.ecs(place), outcomes.map((o) => o.ref));
            const observations = new Map();
            for (const outcome of outcomes) {
                const found = seen.get(outcome.ref);
                if (!found)
                    continue;
                if ('error' in found) {
                    observations.set(outcome.ref, { state: 'unseen', warning: (0,errors/* describeAwsError */.Pp)(found.error) });
                }
                else if ('missing' in found) {
                    observations.set(outcome.ref, { state: 'failed', reason: `service disappeared (${found.missing})` });
                }
                else {
                    lastSeen.set(outcome.ref, found.service);
                    observations.set(outcome.ref, observeService(found.service, outcome.deploymentId));
                }
            }
            return observations;
        },
        async explain(outcome, ctx) {
            return explainDeployment(ctx.ecs(outcome.ref), outcome, lastSeen.get(outcome.ref));
        }
    };
}
/** The classification, with the task counts of our deployment (not the service's, which mix deployments). */
function observeService(service, deploymentId) {
    const ours = service.deployments?.find((d) => d.id === deploymentId);
    const observed = classifyDeployment(service, deploymentId);
    if (observed.state === 'failed')
        return observed;
    const counts = { runningCount: ours?.runningCount, desiredCount: ours?.desiredCount };
    if (observed.state === 'in-progress')
        return { ...observed, ...counts };
    const remain = earlySuccess(service);
    return {
        ...observed,
        ...counts,
        ...(remain ? { previousTasks: { why: remain, awaited: true } } : {}),
        ...(ours?.desiredCount === 0 ? { note: NO_TASKS } : {})
    };
}
/** A service scaled to zero: no task runs the old value, so nothing is replaced or proven. */
const NO_TASKS = 'no tasks to replace (desiredCount 0)';
/**
 * With early success criteria, ECS calls a deployment complete before the previous tasks are
 * gone: DEFERRED removes them afterwards, and a healthyPercent below 100 completes with fewer new
 * tasks than desired (ECS scales the new revision up in the background). The rollout proof then
 * waits for them, within deployment-timeout, instead of failing on them.
 */
function earlySuccess(service) {
    const criteria = service.deploymentConfiguration?.earlySuccessCriteria;
    if (!criteria?.enable)
        return undefined;
    if (criteria.sourceServiceRevisionCleanup === 'DEFERRED')
        return 'early success criteria: ECS removes them after the deployment (DEFERRED)';
    if ((criteria.healthyPercent ?? 100) < 100)
        return `early success criteria: the deployment completed at ${criteria.healthyPercent}% healthy`;
    return undefined;
}
/**
 * `UpdateService` with `forceNewDeployment`, for every kind the ECS controller deploys: the
 * deployment it started (the new PRIMARY) and the service as the answer shows it.
 */
async function forceNewDeployment(ref, ctx) {
    const update = new client_ecs_dist_cjs/* UpdateServiceCommand */.kZr({ cluster: ref.cluster, service: ref.service, forceNewDeployment: true });
    const { service } = await ctx.ecsWriter(ref).send(update, { abortSignal: ctx.signal });
    const primary = service?.deployments?.find((d) => d.status === 'PRIMARY');
    if (!service || !primary?.id)
        throw new Error('UpdateService returned no PRIMARY deployment');
    const started = {
        deploymentId: primary.id,
        createdAt: primary.createdAt,
        runningCount: primary.runningCount,
        desiredCount: primary.desiredCount
    };
    return { started, service };
}

;// CONCATENATED MODULE: ./src/ecs/kinds/native-strategy.ts






/** DescribeServiceDeployments takes at most 20 ARNs. */
const native_strategy_BATCH_MAX = 20;
const LABEL = { BLUE_GREEN: 'blue/green', LINEAR: 'linear', CANARY: 'canary' };
/** Stages at which all production traffic is on the new revision (bake time, then clean-up). */
const TRAFFIC_SHIFTED = ['BAKE_TIME', 'CLEAN_UP'];
/** What is lost when a deployment is followed through deployments[] instead of its record. */
const LOST = 'its lifecycle stage, bake time, hook, alarm and rollback details are not shown, and its end is judged by rolloutState alone';
/**
 * ECS's own blue/green, linear and canary strategies: `UpdateService` with `forceNewDeployment`,
 * then the deployment this run started is followed through ECS's service-deployment record (the
 * ARN the answer gives as `currentServiceDeployment`), which knows the lifecycle stage, bake time,
 * hooks, alarms and rollbacks. Where the record is missing or not permitted, the deployment is
 * followed through `deployments[]` as a rolling update is, with one warning saying what is lost.
 */
function nativeStrategyKind(strategy, waitUntil = 'completed') {
    // The service deployment each service's redeploy started, by service (refs are copied in outcomes).
    const records = new Map();
    // Early success criteria, by service: ECS may call the deployment a success before the previous tasks are gone.
    const early = new Map();
    const fallback = rollingKind();
    const warned = new Set();
    const fallBack = (ctx, refs, why) => {
        for (const ref of refs)
            records.delete((0,service_list/* serviceKey */.jq)(ref));
        if (warned.has(why))
            return;
        warned.add(why);
        ctx.warn(`${refs.map((r) => r.label).join(', ')}: ${why}; following ${refs.length > 1 ? 'them' : 'it'} through deployments[] instead: ${LOST}`);
    };
    return {
        name: strategy.toLowerCase().replace('_', '-'),
        description: `ECS ${LABEL[strategy]} (forced new deployment${waitUntil === 'traffic-shifted' ? ', waited for until traffic shifted' : ''})`,
        startCall: 'UpdateService',
        async start(ref, ctx) {
            const { started, service } = await forceNewDeployment(ref, ctx);
            const remain = earlySuccess(service);
            if (remain)
                early.set((0,service_list/* serviceKey */.jq)(ref), remain);
            // The answer names the service deployment it just started.
            if (service.currentServiceDeployment)
                records.set((0,service_list/* serviceKey */.jq)(ref), service.currentServiceDeployment);
            else
                fallBack(ctx, [ref], 'UpdateService named no service deployment (currentServiceDeployment)');
            return started;
        },
        async observe(outcomes, ctx) {
            const observations = new Map();
            const byPlace = new Map();
            for (const o of outcomes.filter((x) => records.has((0,service_list/* serviceKey */.jq)(x.ref))))
                byPlace.set((0,aws_place/* placeKey */.r4)(o.ref), [...(byPlace.get((0,aws_place/* placeKey */.r4)(o.ref)) ?? []), o]);
            await Promise.all([...byPlace.values()].flatMap((group) => chunks(group, native_strategy_BATCH_MAX).map(async (batch) => {
                try {
                    const arns = batch.map((o) => records.get((0,service_list/* serviceKey */.jq)(o.ref)));
                    const out = await ctx.ecs(batch[0].ref).send(new client_ecs_dist_cjs/* DescribeServiceDeploymentsCommand */.A6p({ serviceDeploymentArns: arns }));
                    const missing = [];
                    for (const o of batch) {
                        const record = out.serviceDeployments?.find((d) => d.serviceDeploymentArn === records.get((0,service_list/* serviceKey */.jq)(o.ref)));
                        if (record)
                            observations.set(o.ref, observeRecord(record, waitUntil, early.get((0,service_list/* serviceKey */.jq)(o.ref))));
                        else
                            missing.push(o.ref);
                    }
                    if (missing.length)
                        fallBack(ctx, missing, 'ECS has no service-deployment record of the deployment (DescribeServiceDeployments: MISSING)');
                }
                catch (error) {
                    const name = (0,errors/* errorName */.Is)(error);
                    if (name === 'AccessDeniedException' || name === 'UnknownOperationException') {
                        fallBack(ctx, batch.map((o) => o.ref), `ecs:DescribeServiceDeployments failed (${(0,errors/* describeAwsError */.Pp)(error)})`);
                    }
                    else {
                        for (const o of batch)
                            observations.set(o.ref, { state: 'unseen', warning: (0,errors/* describeAwsError */.Pp)(error) });
                    }
                }
            })));
            const rest = outcomes.filter((o) => !records.has((0,service_list/* serviceKey */.jq)(o.ref)));
            if (rest.length > 0)
                for (const [ref, seen] of await fallback.observe(rest, ctx))
                    observations.set(ref, seen);
            return observations;
        },
        async explain(outcome, ctx) {
            return fallback.explain(outcome, ctx);
        }
    };
}
/**
 * Where a deployment stands by its service-deployment record. A rollback (requested, under way,
 * done or failed) and a stop are failures of the deployment this run started, whatever follows.
 * `earlySuccess`: why ECS may call it a success before the previous tasks are gone (see `earlySuccess`).
 */
function observeRecord(record, waitUntil = 'completed', earlySuccess) {
    const target = record.targetServiceRevision;
    const counts = { runningCount: target?.runningTaskCount, desiredCount: target?.requestedTaskCount };
    switch (record.status) {
        case 'SUCCESSFUL':
            return {
                state: 'succeeded',
                ...counts,
                ...(target?.requestedTaskCount === 0 ? { note: NO_TASKS } : {}),
                ...(earlySuccess ? { previousTasks: { why: earlySuccess, awaited: true } } : {})
            };
        case 'PENDING':
        case 'IN_PROGRESS': {
            const stage = record.lifecycleStage;
            if (waitUntil === 'traffic-shifted' && stage && TRAFFIC_SHIFTED.includes(stage)) {
                return {
                    state: 'succeeded',
                    ...counts,
                    note: `production traffic shifted; ECS is still in ${stage}`,
                    previousTasks: { why: `${stage === 'BAKE_TIME' ? 'bake time' : 'clean-up'}: they get no production traffic`, awaited: false }
                };
            }
            return { state: 'in-progress', progress: progressOf(record), ...counts };
        }
        default:
            return { state: 'failed', reason: failureOf(record) };
    }
}
function progressOf(record) {
    const paused = record.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION');
    const running = record.targetServiceRevision;
    const parts = [
        paused
            ? `paused at a ${paused.targetType === 'PAUSE' ? 'pause' : 'lifecycle'} hook in ${record.lifecycleStage ?? '?'} (awaiting ContinueServiceDeployment)`
            : (record.lifecycleStage ?? record.status ?? 'IN_PROGRESS'),
        running ? `${running.runningTaskCount ?? 0}/${running.requestedTaskCount ?? 0} running` : undefined
    ];
    return parts.filter(Boolean).join(', ');
}
/** Every reason the record gives: its status and statusReason, the rollback's reason, alarms, circuit breaker. */
function failureOf(record) {
    const parts = [`service deployment ${record.status}${record.statusReason ? `: ${record.statusReason}` : ''}`];
    if (record.rollback?.reason)
        parts.push(`rollback: ${record.rollback.reason}`);
    const alarms = record.alarms?.triggeredAlarmNames ?? [];
    if (alarms.length)
        parts.push(`alarms in ALARM: ${alarms.join(', ')}`);
    const breaker = record.deploymentCircuitBreaker;
    if (breaker?.status === 'TRIGGERED' || (breaker?.failureCount ?? 0) > 0) {
        parts.push(`circuit breaker: ${breaker?.failureCount ?? 0} failed tasks of a threshold of ${breaker?.threshold ?? '?'}`);
    }
    const hook = record.lifecycleHookDetails?.find((h) => h.status === 'FAILED' || h.status === 'TIMED_OUT');
    if (hook)
        parts.push(`lifecycle hook ${hook.hookId ?? ''} ${hook.status}`.replace('  ', ' '));
    return parts.join('; ');
}

;// CONCATENATED MODULE: ./src/ecs/kinds/index.ts



/**
 * Picks, per service, how it is redeployed, from its DescribeServices answer at preflight (and,
 * for CODE_DEPLOY, its CodeDeploy deployment group). One chooser per round: each kind instance
 * remembers what it saw during that round. A new kind is one file in this folder plus a line here.
 */
function kindChooser(options) {
    const rolling = rollingKind();
    const codeDeploy = codeDeployKind();
    const native = new Map();
    return async (service, ref) => {
        const controller = service.deploymentController?.type ?? 'ECS';
        switch (controller) {
            case 'ECS': {
                const strategy = service.deploymentConfiguration?.strategy ?? 'ROLLING';
                if (strategy === 'ROLLING')
                    return { kind: rolling };
                let kind = native.get(strategy);
                if (!kind)
                    native.set(strategy, (kind = nativeStrategyKind(strategy, options.waitUntil)));
                return { kind };
            }
            case 'CODE_DEPLOY':
                return codeDeploy.choose(ref, service, options.codedeploy(ref));
            default:
                return {
                    refused: `its deployment controller is ${controller}: its task sets are driven by another tool, which must start the new deployment`
                };
        }
    };
}

;// CONCATENATED MODULE: ./src/ecs/preflight.ts



class PreflightError extends Error {
    name = 'PreflightError';
}
/**
 * Looks up every service before anything is written: each must exist, be ACTIVE, and be of a
 * kind this action can redeploy. Returns the kind chosen for each; throws one error listing
 * every bad line.
 */
async function preflightServices(ecs, refs, choose, warn = () => undefined) {
    const kinds = new Map();
    if (refs.length === 0)
        return kinds;
    const seen = await describeInBatches(ecs, refs);
    // A kind may look further (CodeDeploy: the deployment group), for all services at once.
    const choices = new Map(await Promise.all(refs.map(async (ref) => {
        const found = seen.get(ref);
        const choice = found && 'service' in found && found.service.status === 'ACTIVE' ? await choose(found.service, ref) : undefined;
        return [ref, choice];
    })));
    const problems = [];
    for (const ref of refs) {
        const found = seen.get(ref);
        const where = `line ${ref.line} ${ref.label} (${ref.region})`;
        if (!found)
            problems.push(`${where}: not looked up`);
        else if ('error' in found) {
            const name = (0,errors/* errorName */.Is)(found.error);
            // Reached through this account's own credentials (or its role in cross-account-roles), so the cluster is really absent there.
            if (name === 'ClusterNotFoundException')
                problems.push(`${where}: cluster "${ref.clusterName}" does not exist${ref.account ? ` in account ${ref.account}` : ''}`);
            else
                problems.push(`${where}: ${(0,errors/* describeAwsError */.Pp)(found.error)}`);
        }
        else if ('missing' in found) {
            problems.push(`${where}: service "${ref.service}" does not exist in cluster "${ref.clusterName}" (${found.missing})`);
        }
        else if (found.service.status !== 'ACTIVE') {
            problems.push(`${where}: service is ${found.service.status}, not ACTIVE`);
        }
        else {
            const choice = choices.get(ref);
            if ('refused' in choice)
                problems.push(`${where}: cannot be redeployed by this action: ${choice.refused}`);
            else
                kinds.set(ref, choice.kind);
            const rolling = deploymentInProgress(found.service);
            if (rolling) {
                warn(`${ref.label}: ${rolling} is still in progress; the new deployment replaces it, so this run also completes that rollout`);
            }
        }
    }
    if (problems.length > 0) {
        throw new PreflightError(`\`${constants/* Inputs */.G0.Services}\`: ${problems.length} of ${refs.length} services cannot be redeployed; nothing was changed:\n` +
            problems.map((p) => `  - ${p}`).join('\n'));
    }
    return kinds;
}
/** A deployment of the service that has not finished (someone else's rollout), if any. */
function deploymentInProgress(service) {
    const deployments = service.deployments ?? [];
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    if (deployments.length > 1 || primary?.rolloutState === 'IN_PROGRESS') {
        return `deployment ${primary?.id ?? '?'} (rollout ${primary?.rolloutState ?? 'with more than one deployment'})`;
    }
    const taskSets = service.taskSets ?? [];
    if (taskSets.length > 1)
        return `a deployment with ${taskSets.length} task sets (${taskSets.map((t) => `${t.id} ${t.status}`).join(', ')})`;
    return undefined;
}

;// CONCATENATED MODULE: ./src/ecs/redeploy-order.ts
/**
 * How long a forced deployment of this service is expected to take: how long its current
 * PRIMARY deployment took (createdAt -> updatedAt, once it completed). Undefined when ECS does
 * not say (no completed PRIMARY, or no timestamps).
 */
function expectedDurationMs(service) {
    const primary = service?.deployments?.find((d) => d.status === 'PRIMARY');
    if (!primary || primary.rolloutState !== 'COMPLETED' || !primary.createdAt || !primary.updatedAt)
        return undefined;
    const ms = primary.updatedAt.getTime() - primary.createdAt.getTime();
    return ms > 0 ? ms : undefined;
}
/**
 * Longest expected first: once UpdateService is rate-limited, the run ends when the last-started
 * deployments finish, so the slowest start first and the quickest fill the tail (sorting by
 * descending duration minimises the latest finish when starts come at a fixed rate). Services
 * whose duration is unknown go last, in the order given; ties keep the order given.
 */
function longestExpectedFirst(items, expectedMs) {
    return items
        .map((item, index) => ({ item, index, ms: expectedMs(item) }))
        .sort((a, b) => {
        if (a.ms === undefined || b.ms === undefined)
            return a.ms === b.ms ? a.index - b.index : a.ms === undefined ? 1 : -1;
        return b.ms - a.ms || a.index - b.index;
    })
        .map((entry) => entry.item);
}

;// CONCATENATED MODULE: ./src/stages/preflight.ts



/** Looks up every service before anything is written and chooses how each is redeployed. */
async function preflightStage(ctx, settings, clients, services) {
    const expected = new Map();
    const described = new Map();
    const chooser = () => kindChooser({ codedeploy: clients.codedeploy, waitUntil: settings.waitUntil });
    const choose = chooser();
    const kinds = await preflightServices(clients.ecs, services, (service, ref) => {
        expected.set(ref, expectedDurationMs(service));
        described.set(ref, service);
        return choose(service, ref);
    }, ctx.log.warn);
    return {
        kinds,
        expected,
        async kindsForNewRound() {
            const again = chooser();
            const round = new Map();
            for (const ref of kinds.keys()) {
                const choice = await again(described.get(ref), ref);
                round.set(ref, 'kind' in choice ? choice.kind : choice);
            }
            return round;
        }
    };
}

// EXTERNAL MODULE: ./src/run/writes.ts
var run_writes = __webpack_require__(2113);
;// CONCATENATED MODULE: ./src/secret/client-token.ts

/**
 * The ClientRequestToken (and so the VersionId) of one write, shaped as a UUID:
 *
 *   pppppppp-pppp-pppp-aaaa-rrrrrrrrrrrr
 *
 * `p` is a hash of the run, job, step and what the step changes (never of the value: version
 * ids are visible to anyone who may describe the secret), `a` the run attempt, `r` random. Every
 * write gets its own version, even two steps or two matrix legs of one run; a later attempt of the
 * same step finds the versions earlier attempts wrote by `p` and `a`. The SDK sends the same token
 * on its own retries, so a retried call never makes a second version. Outside a runner (no run
 * id) the whole token is random.
 */
function versionToken(identity, random = external_node_crypto_.randomBytes) {
    const tail = random(6).toString('hex');
    const prefix = stepPrefix(identity);
    if (!prefix) {
        const hex = random(10).toString('hex') + tail;
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    }
    return `${prefix.slice(0, 8)}-${prefix.slice(8, 12)}-${prefix.slice(12, 16)}-${attemptHex(identity.run.attempt)}-${tail}`;
}
/**
 * Which attempt of this run and step wrote a version, or undefined when it is not one of theirs
 * (another step, another run, the console, a rotation function).
 */
function attemptThatWrote(versionId, identity) {
    const prefix = stepPrefix(identity);
    const match = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-[0-9a-f]{12}$/.exec(versionId);
    if (!prefix || !match || match[1] + match[2] + match[3] !== prefix)
        return undefined;
    return parseInt(match[4], 16);
}
/** Versions written by earlier attempts of this run and step (the current attempt's own are not earlier). */
function isEarlierAttempt(versionId, identity) {
    const attempt = attemptThatWrote(versionId, identity);
    return attempt !== undefined && attempt < Number(identity.run.attempt);
}
function stepPrefix({ run, secretArn, mode, jsonKey }) {
    if (!run.id)
        return undefined;
    const parts = ['secret-rollout/v2', run.repository ?? '', run.id, run.job ?? '', run.step ?? '', secretArn, mode, jsonKey ?? ''];
    return (0,external_node_crypto_.createHash)('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}
function attemptHex(attempt) {
    const n = Number(attempt);
    return (Number.isInteger(n) && n > 0 && n <= 0xffff ? n : 1).toString(16).padStart(4, '0');
}

;// CONCATENATED MODULE: ./src/secret/staging-labels.ts
const AWSCURRENT = 'AWSCURRENT';
const AWSPENDING = 'AWSPENDING';
const AWSPREVIOUS = 'AWSPREVIOUS';
/** Which version carries a staging label, if any. */
function versionWithLabel(stages, label) {
    return Object.keys(stages).find((id) => stages[id]?.includes(label));
}
function hasLabel(stages, versionId, label) {
    return stages[versionId]?.includes(label) ?? false;
}
/**
 * A rotation is in progress when AWSPENDING sits on a version other than AWSCURRENT
 * (after a finished rotation, AWSPENDING may stay on the current version: that is harmless).
 */
function pendingRotation(stages) {
    const pending = versionWithLabel(stages, AWSPENDING);
    return pending && !hasLabel(stages, pending, AWSCURRENT) ? pending : undefined;
}
/** `v1 [AWSCURRENT], v0 [AWSPREVIOUS]`: how state is described in errors. */
function describeStages(stages) {
    const labelled = Object.entries(stages).filter(([, labels]) => labels.length > 0);
    return labelled.map(([id, labels]) => `${id} [${labels.join(', ')}]`).join(', ') || 'no labelled versions';
}

;// CONCATENATED MODULE: ./src/secret/history.ts




/** Every version of the secret, labelled or not (unlabelled ones are kept for a while before deletion). */
async function listVersions(sm, arn, signal) {
    const versions = [];
    let NextToken;
    do {
        const page = await sm.send(new client_secrets_manager_dist_cjs/* ListSecretVersionIdsCommand */.Af({ SecretId: arn, IncludeDeprecated: true, MaxResults: 100, NextToken }), {
            abortSignal: signal
        });
        for (const v of page.Versions ?? []) {
            if (v.VersionId)
                versions.push({ id: v.VersionId, stages: v.VersionStages ?? [], createdAt: v.CreatedDate });
        }
        NextToken = page.NextToken;
    } while (NextToken);
    return versions;
}
/** The text of one version, read by its id. */
async function versionValue(sm, arn, versionId) {
    const answer = await sm.send(new client_secrets_manager_dist_cjs/* GetSecretValueCommand */.d2({ SecretId: arn, VersionId: versionId }));
    return answer.SecretString;
}
/** Values are compared by digest, so the run keeps no more plain copies than it must. */
function digestOf(value) {
    return (0,external_node_crypto_.createHash)('sha256').update(value, 'utf8').digest('hex');
}
/**
 * The version a rollback moves AWSCURRENT back to: the one that was AWSCURRENT before this run's
 * first attempt changed it, found by id. When AWSCURRENT is not this step's, that is AWSCURRENT;
 * when an earlier attempt wrote AWSCURRENT, it is AWSPREVIOUS (PutSecretValue put it there);
 * when both are this step's (attempts that wrote after a rollback), the newest version made
 * before this step's first, read from the version list.
 */
async function versionBeforeRun(stages, identity, list) {
    const ours = (id) => attemptThatWrote(id, identity) !== undefined;
    const current = versionWithLabel(stages, AWSCURRENT);
    if (!current || !isEarlierAttempt(current, identity))
        return { versionId: current, judgedBy: 'AWSCURRENT' };
    const previous = versionWithLabel(stages, AWSPREVIOUS);
    if (previous && !ours(previous))
        return { versionId: previous, judgedBy: 'AWSPREVIOUS' };
    const versions = await list();
    const time = (v) => v.createdAt?.getTime() ?? Number.POSITIVE_INFINITY;
    const firstOurs = Math.min(...versions.filter((v) => ours(v.id)).map(time));
    const before = versions.filter((v) => !ours(v.id) && time(v) < firstOurs).sort((a, b) => time(b) - time(a))[0];
    return { versionId: before?.id, judgedBy: 'creation time' };
}

;// CONCATENATED MODULE: ./src/secret/rollback.ts





/**
 * Moves AWSCURRENT back to the version it was on before this run's first attempt changed the
 * secret, named by id (a re-run may have moved AWSPREVIOUS onto a version of its own).
 * RemoveFromVersionId names exactly the version this run made current, so a change made by
 * someone else meanwhile makes the call fail instead of being undone. A target that holds the
 * very value being undone is refused: "rolling back" to it would change nothing.
 */
async function rollBackSecret(sm, change, options = {}) {
    const fromVersionId = change.versionId;
    const versionId = change.previousVersionId;
    if (!versionId) {
        return { status: 'failed', versionId: '', fromVersionId, reason: 'there is no previous version to move AWSCURRENT back to' };
    }
    const same = await holdsSameValue(sm, change, options.check);
    if (same)
        return { status: 'failed', versionId, fromVersionId, reason: same };
    try {
        await (options.writes ?? new run_writes/* WriteGate */.p()).send('UpdateSecretVersionStage', change.name, (abortSignal) => sm.send(new client_secrets_manager_dist_cjs/* UpdateSecretVersionStageCommand */.be({
            SecretId: change.arn,
            VersionStage: AWSCURRENT,
            MoveToVersionId: versionId,
            RemoveFromVersionId: fromVersionId
        }), { abortSignal }));
    }
    catch (error) {
        if (options.writes?.signal?.aborted)
            throw error;
        const gone = (0,errors/* errorName */.Is)(error) === 'ResourceNotFoundException' || /not found/i.test(String(error.message));
        return {
            status: 'failed',
            versionId,
            fromVersionId,
            reason: gone
                ? `version ${versionId}, AWSCURRENT before this run, no longer exists (${(0,errors/* describeAwsError */.Pp)(error)}). AWSCURRENT is still on ` +
                    `${fromVersionId}, the new value: restore the value of ${versionId} by hand (put it as a new version), then redeploy the services.`
                : `UpdateSecretVersionStage failed: ${(0,errors/* describeAwsError */.Pp)(error)}. AWSCURRENT is still on ${fromVersionId}, the new value.`
        };
    }
    // The move went through; confirm nobody moved the label again before the services are redeployed.
    let stages;
    try {
        stages = (await sm.send(new client_secrets_manager_dist_cjs/* DescribeSecretCommand */.X5({ SecretId: change.arn }))).VersionIdsToStages ?? {};
    }
    catch (error) {
        return {
            status: 'failed',
            versionId,
            fromVersionId,
            reason: `AWSCURRENT was moved back to ${versionId}, but DescribeSecret could not confirm it: ${(0,errors/* describeAwsError */.Pp)(error)}. Check which version is AWSCURRENT, then redeploy the services.`
        };
    }
    if (!hasLabel(stages, versionId, AWSCURRENT)) {
        return {
            status: 'failed',
            versionId,
            fromVersionId,
            reason: `AWSCURRENT is not on ${versionId} after the move (${describeStages(stages)})`
        };
    }
    return { status: 'succeeded', versionId, fromVersionId };
}
/** Why the rollback target cannot undo this change (it holds the same value), or undefined. */
async function holdsSameValue(sm, change, check) {
    if (!check)
        return undefined;
    let newDigest = check.newDigest;
    if (newDigest === undefined) {
        // A version an earlier attempt wrote: its value was not known at the pre-check.
        try {
            const text = await versionValue(sm, change.arn, change.versionId);
            newDigest = text === undefined ? undefined : digestOf(text);
        }
        catch (error) {
            return `could not read version ${change.versionId} to check that version ${change.previousVersionId} holds another value: ${(0,errors/* describeAwsError */.Pp)(error)}. AWSCURRENT is still on ${change.versionId}.`;
        }
    }
    if (newDigest !== check.targetDigest)
        return undefined;
    return (`version ${change.previousVersionId}, AWSCURRENT before this run, holds the same value as ${change.versionId}, so moving back ` +
        `to it would not undo anything. AWSCURRENT is still on ${change.versionId}: restore the value the services last worked with by hand.`);
}

;// CONCATENATED MODULE: ./src/stages/rollback.ts

/**
 * rollback-on-failure, the secret's half: moves AWSCURRENT back to the version before the run.
 * The orchestrator then redeploys the services again (a new round) only if this succeeded:
 * redeploying again after a failed move would only spread the value that failed.
 */
async function rollbackStage(ctx, sm, change, plan, failedDeployments) {
    ctx.log.warn(`${failedDeployments} deployments did not succeed: moving AWSCURRENT of ${change.name} back to ${change.previousVersionId}`);
    return rollBackSecret(sm, change, { writes: ctx.writes, check: plan?.rollbackCheck });
}

;// CONCATENATED MODULE: ./src/ecs/poll-schedule.ts
/** Never start rounds closer together than this, however much budget there is. */
const MIN_POLL_MS = 500;
/**
 * How stale a service's last look may get: 2 s at first, then a tenth of its time rolling out,
 * up to 15 s. Its end is noticed within about 10% of its length, while a long wait costs few calls.
 */
function staleAfterMs(elapsedMs) {
    return Math.round(Math.min(15_000, Math.max(2_000, elapsedMs / 10)));
}
/** Between these shares of its expected duration, a service is looked at every round. */
const NEAR_FROM = 0.8;
const NEAR_TO = 1.5;
/** Before that window, looks are spread out, but never further apart than this. */
const MAX_EARLY_GAP_MS = 10_000;
/**
 * Whether a rolling-out service should be looked at this round. Near the end its previous
 * deployment took (`expectedMs`): every round, so its end is seen at once. Before that: halfway
 * to that point (at most 10 s) or when its last look is stale, whichever is later. Without an
 * expected duration, or long past it: when the last look is stale. So the budget goes to the
 * services whose end is due.
 */
function isDue(s, now) {
    if (s.lastLookAt === undefined)
        return true;
    const elapsed = now - s.startedAt;
    const elapsedAtLook = s.lastLookAt - s.startedAt;
    let gap = staleAfterMs(elapsedAtLook);
    if (s.expectedMs !== undefined) {
        const nearFrom = NEAR_FROM * s.expectedMs;
        if (elapsed >= nearFrom && elapsed <= NEAR_TO * s.expectedMs)
            return true;
        if (elapsedAtLook < nearFrom)
            gap = Math.max(gap, Math.min(MAX_EARLY_GAP_MS, (nearFrom - elapsedAtLook) / 2));
    }
    return now - s.lastLookAt >= gap;
}

;// CONCATENATED MODULE: ./src/aws/throttling.ts

const BASE_MS = 1000;
const CAP_MS = 20_000;
/**
 * Keeps retrying a call the service throttled, with capped, jittered backoff, until `deadline`.
 * For calls that can queue up far beyond the SDK's retries: 500 UpdateService calls against
 * ECS's 5 per second take 90 s to get through. Only throttling is retried: a throttled call did
 * nothing, so sending it again is safe.
 */
async function retryWhileThrottled(call, clock, deadline, random = Math.random) {
    for (let attempt = 0;; attempt++) {
        try {
            return await call();
        }
        catch (error) {
            const delay = Math.round(random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt));
            if (!(0,retry.isThrottlingError)(error) || clock.now() + delay >= deadline)
                throw error;
            await clock.sleep(delay);
        }
    }
}

;// CONCATENATED MODULE: ./src/ecs/redeploy.ts




/**
 * Starts a new deployment of every service, each the way its kind does it, in the order given,
 * and hands each to the tracker as `started`, or `failed` when AWS refuses (the others go on).
 * At most `lanes` calls are handed to the clients at once: the writer client paces them to the
 * rate ECS allows, and a queue here keeps 500 waiting calls out of its memory. Throttled calls
 * are sent again until the round's deadline.
 */
async function redeployServices(refs, kindOf, tracker, ctx, lanes = 10, 
/** Awaited before a service starts (outside the lanes): a reason refuses it instead. */
before) {
    const lane = (0,p_limit/* default */.A)(lanes);
    await Promise.all(refs.map(async (ref) => {
        const kind = kindOf(ref);
        const refused = await before?.(ref);
        if (refused)
            return tracker.refuse(ref, refused);
        try {
            // The pause after a throttle is taken outside the lane, so other services go ahead.
            const start = () => (ctx.writes ? ctx.writes.send(kind.startCall, ref.label, () => kind.start(ref, ctx)) : kind.start(ref, ctx));
            const started = await retryWhileThrottled(() => lane(start), ctx.clock, ctx.deadline);
            tracker.start(ref, started);
        }
        catch (error) {
            // Not sent because the run was cancelled: the service stays planned, with the round's reason.
            if (error instanceof run_writes/* CancelledError */.c)
                return;
            if (ctx.signal?.aborted) {
                return tracker.refuse(ref, `${kind.startCall} was sent, but the run was cancelled before AWS answered: a deployment may have started`);
            }
            tracker.refuse(ref, `${kind.startCall} failed: ${(0,errors/* describeAwsError */.Pp)(error)}`);
        }
    }));
}

;// CONCATENATED MODULE: ./src/ecs/rollout-proof.ts



const DESCRIBE_TASKS_MAX = 100;
/** Proves one service from its own running tasks (ListTasks for the service, then DescribeTasks). */
async function proveRollout(ecs, outcome, secretCreatedAt) {
    const tasks = await runningTasks(ecs, outcome.ref.cluster, outcome.ref.service);
    return judgeTasks(tasks, outcome, secretCreatedAt);
}
/**
 * Proves many services at once, a cluster at a time, for the poller's verify hook: one listing
 * of the cluster's running tasks (paginated) and DescribeTasks 100 tasks a call, instead of both
 * calls for each service. A cluster with a single service to prove lists only that service's
 * tasks (cheaper in a big cluster). Every service gets an answer, in the order given: its proof,
 * or the Error that kept its cluster from being read.
 */
async function proveRollouts(ecs, subjects, secretCreatedAt) {
    const clusters = groupBy(subjects, (s) => clusterKey(s.ref));
    const answers = new Map();
    await Promise.all([...clusters.values()].map(async (group) => {
        const { ref } = group[0];
        try {
            const only = group.length === 1 ? ref.service : undefined;
            const tasks = await runningTasks(ecs(ref), ref.cluster, only);
            // A service's tasks carry `service:<name>` as their group.
            const byService = groupBy(tasks, (task) => only ?? (task.group?.startsWith('service:') ? task.group.slice('service:'.length) : ''));
            for (const s of group)
                answers.set(s.ref, judgeTasks(byService.get(s.ref.service) ?? [], s, secretCreatedAt));
        }
        catch (error) {
            for (const s of group)
                answers.set(s.ref, error instanceof Error ? error : new Error(String(error)));
        }
    }));
    return new Map(subjects.map((s) => [s.ref, answers.get(s.ref)]));
}
async function runningTasks(ecs, cluster, serviceName) {
    const arns = [];
    for await (const page of (0,client_ecs_dist_cjs/* paginateListTasks */._rc)({ client: ecs, pageSize: 100 }, { cluster, serviceName, desiredStatus: 'RUNNING' })) {
        arns.push(...(page.taskArns ?? []));
    }
    const described = await Promise.all(chunks(arns, DESCRIBE_TASKS_MAX).map((tasks) => ecs.send(new client_ecs_dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks }))));
    return described.flatMap((out) => out.tasks ?? []);
}
/**
 * Whether a service's running tasks prove it runs the new value: each was started by the new
 * deployment (`startedBy` is the deployment id, or the id of the task set a CodeDeploy deployment
 * created) and after the secret version was created.
 */
function judgeTasks(tasks, subject, secretCreatedAt) {
    const newTasks = subject.tasksStartedBy ?? subject.deploymentId;
    const fromOtherDeployment = tasks.filter((t) => t.startedBy !== newTasks);
    const beforeSecret = tasks.filter((t) => secretCreatedAt && t.startedBy === newTasks && (!t.startedAt || t.startedAt < secretCreatedAt));
    const proven = tasks.length - fromOtherDeployment.length - beforeSecret.length;
    const problems = [];
    if (tasks.length === 0 && (subject.desiredCount ?? 0) > 0)
        problems.push('no running task found');
    const previous = subject.previousTasks;
    if (fromOtherDeployment.length && !previous)
        problems.push(`${fromOtherDeployment.length} running tasks are not from deployment ${newTasks} (e.g. ${shortId(fromOtherDeployment[0])})`);
    if (beforeSecret.length)
        problems.push(`${beforeSecret.length} tasks started before the new secret version (e.g. ${shortId(beforeSecret[0])})`);
    // With early success ECS also scales the new revision up to desiredCount after the success.
    const desired = subject.desiredCount ?? 0;
    const missing = previous?.awaited && proven < desired ? desired - proven : 0;
    const left = [
        previous && fromOtherDeployment.length ? `${fromOtherDeployment.length} tasks of the previous revision still run` : undefined,
        missing ? `${missing} of ${desired} new tasks are not running yet` : undefined
    ].filter(Boolean);
    return {
        proven,
        total: tasks.length,
        problem: problems.length ? problems.join('; ') : undefined,
        ...(left.length ? { note: `${left.join(', ')} (${previous?.why})` } : {}),
        ...(left.length && previous?.awaited && !problems.length ? { settling: true } : {})
    };
}
function shortId(task) {
    return task.taskArn?.split('/').pop() ?? 'unknown task';
}

// EXTERNAL MODULE: ./src/clock.ts
var src_clock = __webpack_require__(9373);
// EXTERNAL MODULE: ./src/duration.ts
var duration = __webpack_require__(7607);
;// CONCATENATED MODULE: ./src/ecs/wait-for-deployments.ts





/**
 * The pause before the next poll: 2 s at first, then a tenth of the time waited so far, up to
 * 15 s. A rollout's end is noticed within about 10% of its length, while a long wait costs few calls.
 */
function nextPollDelay(elapsedMs) {
    return staleAfterMs(elapsedMs);
}
/**
 * Proofs are gathered per cluster and made when no other service of the cluster is still
 * rolling out, or when the oldest has waited this long: one listing of a cluster's tasks then
 * proves many services.
 */
const PROOF_BATCH_MS = 30_000;
/** The one-line total of a long wait is logged at most this often (and once when the wait ends). */
const TOTAL_EVERY_MS = 60_000;
/**
 * One poller for every service, whatever its kind: each round asks every kind about the
 * waiting services that are due a look (batched as the kind's API allows) and hands what it
 * learns to the tracker. Services finish independently; the wait ends when each has ended or
 * time runs out.
 */
async function waitForDeployments(tracker, kindOf, ctx, options) {
    const { clock, signal } = options;
    let redeployDone = !options.redeploying;
    void options.redeploying?.finally(() => (redeployDone = true));
    const begin = clock.now();
    const deadline = begin + options.timeoutSeconds * 1000;
    const lastLookAt = new Map();
    const proofs = new ProofBatches();
    const progressLog = new ProgressLog(options.log);
    let totalAt = begin;
    const due = (o, now) => isDue({ startedAt: o.startedAt ?? begin, lastLookAt: lastLookAt.get(o.ref), expectedMs: options.expectedMs?.(o.ref) }, now);
    // Also waits for proofs still settling (early success: ECS removes the previous tasks afterwards).
    while (!signal?.aborted && (!redeployDone || tracker.rollingOut().length > 0 || proofs.pending())) {
        const now = clock.now();
        if (now >= deadline)
            break;
        await (0,src_clock/* pause */.v)(clock, Math.min(options.pollDelayMs ?? nextPollDelay(now - begin), deadline - now), signal);
        if (signal?.aborted)
            break;
        const lookAt = clock.now();
        const waiting = tracker.rollingOut().filter((o) => due(o, lookAt));
        if (waiting.length > 0) {
            for (const o of waiting)
                lastLookAt.set(o.ref, lookAt);
            const observations = await observeAll(waiting, kindOf, ctx);
            const ended = [];
            const warnings = new Set();
            for (const outcome of waiting) {
                const seen = observations.get(outcome.ref);
                if (!seen)
                    continue;
                if (seen.state === 'unseen')
                    warnings.add(`${outcome.ref.clusterName}: ${seen.warning}`);
                else if (seen.state === 'in-progress') {
                    tracker.observe(outcome.ref, seen);
                    progressLog.observed(outcome.ref, seen);
                }
                else {
                    tracker.finish(outcome.ref, seen.state, seen.state === 'failed' ? seen.reason : seen.note, seen.state === 'succeeded' ? seen : {});
                    ended.push({ outcome: tracker.outcome(outcome.ref), failed: seen.state === 'failed' });
                }
            }
            for (const warning of warnings)
                options.warn(`Could not see some deployments this round, will look again: ${warning}`);
            await settle(tracker, kindOf, ctx, ended, options, proofs);
        }
        await proveReady(tracker, proofs, options, clock.now() - PROOF_BATCH_MS);
        const at = clock.now();
        if (at - totalAt >= TOTAL_EVERY_MS && tracker.rollingOut().length > 0) {
            totalAt = at;
            options.log(waitingTotal(tracker, kindOf, at - begin));
        }
    }
    if (signal?.aborted)
        return;
    // At the deadline every proof is made, with what has not settled yet reported as left.
    await proveReady(tracker, proofs, options, Number.POSITIVE_INFINITY, true);
    // The redeploy gives up on throttled calls at the same deadline.
    await options.redeploying;
    const late = tracker.rollingOut();
    for (const outcome of late) {
        const where = outcome.reason ?? 'not yet observed';
        tracker.finish(outcome.ref, 'timed-out', `still in progress after ${options.timeoutSeconds}s: ${where}`);
    }
    await settle(tracker, kindOf, ctx, late.map((outcome) => ({ outcome, failed: true })), options, proofs);
    const ended = endTotal(tracker.snapshot(), clock.now() - begin);
    if (ended)
        options.log(ended);
}
/**
 * Logs `cluster/service: <progress>` for a service still rolling out only when what it shows
 * (its progress text or task counts) differs from what was last logged for it, so a long wait
 * reads as a list of changes rather than the same line every round.
 */
class ProgressLog {
    log;
    last = new Map();
    constructor(log) {
        this.log = log;
    }
    observed(ref, seen) {
        const counts = seen.desiredCount === undefined ? undefined : `${seen.runningCount ?? 0}/${seen.desiredCount}`;
        const key = `${seen.progress}\n${counts ?? ''}`;
        if (this.last.get(ref) === key)
            return;
        this.last.set(ref, key);
        const shown = counts && !seen.progress.includes(counts) ? `${seen.progress} (${counts} running)` : seen.progress;
        this.log(`${ref.label}: ${shown}`);
    }
}
/** `Waiting for 3 of 10 deployments (2m 5s): 1 in BAKE_TIME, 2 rolling`: services grouped by stage or kind. */
function waitingTotal(tracker, kindOf, waitedMs) {
    const left = tracker.rollingOut();
    const groups = new Map();
    for (const o of left) {
        const key = stageOf(o, kindOf);
        groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    const parts = [...groups].map(([key, n]) => `${n} ${key}`).join(', ');
    return `Waiting for ${left.length} of ${tracker.refs.length} deployments (${(0,duration/* formatDuration */.a)(waitedMs / 1000)}): ${parts}`;
}
/** `in BAKE_TIME` when the progress names an ECS lifecycle stage, `not yet seen` before the first look, else the kind (`rolling`). */
function stageOf(outcome, kindOf) {
    if (!outcome.reason)
        return 'not yet seen';
    const stage = /^([A-Z][A-Z_]+)\b/.exec(outcome.reason);
    return stage ? `in ${stage[1]}` : kindOf(outcome.ref).name;
}
/** `Wait ended after 2m 5s: 8 rolled out, 1 failed, 1 timed out`, or nothing when no deployment was followed. */
function endTotal(outcomes, waitedMs) {
    const words = [
        ['succeeded', 'rolled out'],
        ['failed', 'failed'],
        ['timed-out', 'timed out']
    ];
    const parts = words.map(([status, word]) => [outcomes.filter((o) => o.status === status).length, word]).filter(([n]) => n > 0);
    if (parts.length === 0)
        return undefined;
    return `Wait ended after ${(0,duration/* formatDuration */.a)(waitedMs / 1000)}: ${parts.map(([n, word]) => `${n} ${word}`).join(', ')}`;
}
/** Services that rolled out and wait for their proof, per cluster, with when the first of them joined. */
class ProofBatches {
    clusters = new Map();
    /** Services whose proof is settling, with when that began. */
    settling = new Map();
    /** Settling services waiting for their next look, and when it is due. */
    deferred = new Map();
    pending() {
        return this.clusters.size > 0 || this.deferred.size > 0;
    }
    /** Looks at a settling service again once its last look is stale (2 s at first, up to 15 s). */
    defer(outcome, now) {
        const since = this.settling.get(outcome.ref) ?? now;
        this.settling.set(outcome.ref, since);
        this.deferred.set(outcome.ref, { outcome, due: now + staleAfterMs(now - since) });
    }
    /** Settling services due a look by `now` join their cluster's batch. */
    release(now) {
        for (const [ref, { outcome, due }] of this.deferred) {
            if (due > now)
                continue;
            this.deferred.delete(ref);
            this.add(outcome, now);
        }
    }
    add(outcome, now) {
        const key = wait_for_deployments_clusterKey(outcome.ref);
        const batch = this.clusters.get(key) ?? { since: now, outcomes: [] };
        batch.outcomes.push(outcome);
        this.clusters.set(key, batch);
    }
    /** The batches to prove now: waited since before `waitedSince`, or with nothing left rolling out in their cluster. */
    take(stillRolling, waitedSince) {
        const ready = [];
        for (const [key, batch] of this.clusters) {
            if (batch.since > waitedSince && stillRolling.has(key))
                continue;
            ready.push(...batch.outcomes);
            this.clusters.delete(key);
        }
        return ready;
    }
}
const wait_for_deployments_clusterKey = (ref) => `${(0,aws_place/* placeKey */.r4)(ref)}/${ref.cluster}`;
/**
 * Proves the batches that are ready, and logs each of their services. A proof still settling
 * (previous tasks that ECS is removing) is looked at again next round, until the deadline
 * (`final`), where what is left is reported.
 */
async function proveReady(tracker, proofs, options, waitedSince, final = false) {
    proofs.release(final ? Number.POSITIVE_INFINITY : options.clock.now());
    const rolledOut = proofs.take(new Set(tracker.rollingOut().map((o) => wait_for_deployments_clusterKey(o.ref))), waitedSince);
    if (rolledOut.length === 0 || !options.verify)
        return;
    const answers = await options.verify(rolledOut).catch((error) => new Map(rolledOut.map((o) => [o.ref, error])));
    const now = options.clock.now();
    for (const outcome of rolledOut) {
        let answer = answers.get(outcome.ref) ?? new Error('no answer for this service');
        const settlingSince = proofs.settling.get(outcome.ref);
        const waited = () => Math.round((now - (settlingSince ?? now)) / 1000);
        if (!(answer instanceof Error) && answer.settling) {
            if (!final) {
                if (settlingSince === undefined)
                    options.log(`${outcome.ref.label}: rolled out; waiting while ${answer.note}`);
                proofs.defer(outcome, now);
                continue;
            }
            answer = { ...answer, note: `after waiting ${waited()}s: ${answer.note}` };
        }
        else if (settlingSince !== undefined && !(answer instanceof Error)) {
            options.log(`${outcome.ref.label}: settled ${waited()}s later: no task of the previous revision left, every new task running`);
        }
        tracker.prove(outcome.ref, answer);
        logEnd(tracker.outcome(outcome.ref), options);
    }
}
function logEnd(now, options) {
    const mark = now.status === 'succeeded' ? 'rolled out' : now.status;
    options.log(`${now.ref.label}: ${mark} after ${Math.round(now.durationSeconds ?? 0)}s${now.reason ? ` (${now.reason})` : ''}`);
}
/** One look per kind, all kinds at once. */
async function observeAll(waiting, kindOf, ctx) {
    const byKind = new Map();
    for (const outcome of waiting) {
        const kind = kindOf(outcome.ref);
        byKind.set(kind, [...(byKind.get(kind) ?? []), outcome]);
    }
    const looks = await Promise.all([...byKind].map(([kind, outcomes]) => kind.observe(outcomes, ctx).catch((error) => {
        const warning = (0,errors/* describeAwsError */.Pp)(error);
        return new Map(outcomes.map((o) => [o.ref, { state: 'unseen', warning }]));
    })));
    return new Map(looks.flatMap((look) => [...look]));
}
/**
 * For services that just ended: the explanation of those that did not roll out, and a log line
 * each; those that rolled out wait for their cluster's proof (verify-rollout) or are logged now.
 */
async function settle(tracker, kindOf, ctx, ended, options, proofs) {
    await Promise.all(ended.map(async ({ outcome, failed }) => {
        if (!failed && options.verify)
            return proofs.add(outcome, ctx.clock.now());
        // Only a deployment that failed or timed out has events and stopped tasks worth quoting.
        if (failed)
            tracker.explain(outcome.ref, await kindOf(outcome.ref).explain(tracker.outcome(outcome.ref), ctx));
        logEnd(tracker.outcome(outcome.ref), options);
    }));
}

;// CONCATENATED MODULE: ./src/secret/replicas.ts




/** The replicas DescribeSecret lists (ReplicationStatus), in a stable order. */
function replicasOf(secret) {
    return (secret.ReplicationStatus ?? [])
        .filter((r) => r.Region)
        .map((r) => ({ region: r.Region, status: r.Status ?? 'InProgress', message: r.StatusMessage || undefined }))
        .sort((a, b) => a.region.localeCompare(b.region));
}
/** The secret's ARN as seen in another region: replicas keep the name, account and random suffix. */
function arnInRegion(arn, region) {
    const parts = arn.split(':');
    parts[3] = region;
    return parts.join(':');
}
/**
 * Follows each replica region until it shows `versionId` as AWSCURRENT (DescribeSecret there),
 * each on its own, so services in a region can be redeployed as soon as their replica has the
 * new value. A Failed replica never gets it: its result is immediate, with the replication message.
 */
function waitForReplicas(sm, secret, replicas, options) {
    const waits = new Map();
    for (const replica of replicas)
        waits.set(replica.region, waitForReplica(sm(replica.region), secret, replica, options));
    return waits;
}
async function waitForReplica(sm, secret, replica, options) {
    const { clock } = options;
    const region = replica.region;
    const started = clock.now();
    const result = (fields) => ({
        region,
        waitedSeconds: (clock.now() - started) / 1000,
        ...fields
    });
    if (replica.status === 'Failed') {
        return result({
            status: 'failed',
            reason: `the replica of ${secret.name} in ${region} failed (${replica.message ?? 'no message'}), so it does not have the new version`
        });
    }
    const deadline = started + options.timeoutSeconds * 1000;
    const arn = arnInRegion(secret.arn, region);
    let stages = {};
    let lastError = '';
    // A replica usually catches up within seconds: looking every 2 s at most keeps its services from waiting long after.
    for (let interval = 500;; interval = Math.min(interval * 1.5, 2000)) {
        try {
            stages = (await sm.send(new client_secrets_manager_dist_cjs/* DescribeSecretCommand */.X5({ SecretId: arn }), { abortSignal: options.signal })).VersionIdsToStages ?? {};
            lastError = '';
        }
        catch (error) {
            // A replica still being created is not found yet; keep looking until the deadline.
            lastError = (0,errors/* describeAwsError */.Pp)(error);
        }
        if (hasLabel(stages, secret.versionId, AWSCURRENT)) {
            const found = result({ status: 'in-sync', currentAt: new Date(clock.now()) });
            options.log(`Replica in ${region} has version ${secret.versionId} as AWSCURRENT after ${Math.round(found.waitedSeconds)}s`);
            return found;
        }
        const now = clock.now();
        if (now >= deadline || options.signal?.aborted) {
            const seen = lastError ? `DescribeSecret there failed: ${lastError}` : `it shows ${describeStages(stages)}`;
            return result({
                status: 'timed-out',
                reason: `the replica of ${secret.name} in ${region} did not show version ${secret.versionId} as AWSCURRENT within ${options.timeoutSeconds}s (${seen})`
            });
        }
        await (0,src_clock/* pause */.v)(clock, Math.min(interval, deadline - now), options.signal);
    }
}

;// CONCATENATED MODULE: ./src/stages/rollout.ts







/**
 * One round: start a new deployment of every service and (if asked) wait for them all, and
 * prove the running tasks read the new version. With replicas, services in a replica region
 * start only once their replica has the version. The wait runs alongside the redeploy and
 * follows each service from the moment its deployment starts.
 */
async function rolloutStage(ctx, settings, clients, version, round) {
    const { tracker, clock } = { tracker: round.tracker, clock: ctx.clock };
    const replicas = followReplicas(ctx, settings, clients, version, round.onReplicas);
    // In a replica region, tasks read the new value once the replica has it, not when it was created.
    const secretSince = (ref) => replicas.currentAt(ref.region) ?? version?.createdAt;
    const verify = round.verify
        ? async (outcomes) => {
            const proofs = await Promise.all([...groupBy(outcomes, (o) => o.ref.region).values()].map((group) => proveRollouts(clients.ecs, group, secretSince(group[0].ref))));
            return new Map(proofs.flatMap((proof) => [...proof]));
        }
        : undefined;
    round.onPhase('redeploy');
    ctx.log.info(`Forcing a new deployment of ${tracker.refs.length} services`);
    const kindCtx = {
        ecs: clients.ecs,
        ecsWriter: clients.ecsWriter,
        codedeploy: clients.codedeploy,
        warn: ctx.log.warn,
        clock,
        deadline: clock.now() + settings.deploymentTimeoutSeconds * 1000,
        signal: ctx.signal,
        writes: ctx.writes
    };
    // Once UpdateService is rate-limited, the slowest deployments started first end the run soonest.
    const order = longestExpectedFirst(tracker.refs, (ref) => round.expected.get(ref));
    const redeploying = redeployServices(order, round.kindOf, tracker, kindCtx, settings.maxConcurrency, replicas.before);
    if (!settings.waitForServiceStability) {
        await redeploying;
        return;
    }
    round.onPhase('wait');
    await waitForDeployments(tracker, round.kindOf, kindCtx, {
        timeoutSeconds: settings.deploymentTimeoutSeconds,
        clock,
        log: ctx.log.info,
        warn: ctx.log.warn,
        signal: ctx.signal,
        redeploying,
        verify,
        expectedMs: (ref) => round.expected.get(ref),
        // The API budget paces the reads: rounds take as long as it needs, with a short pause between.
        pollDelayMs: MIN_POLL_MS
    });
}
/**
 * With replicas: follows each replica region until it has the version, so a service there
 * starts only then (or is refused with why: a Failed replica, or one that did not catch up
 * within rotation-timeout). Services in other regions are not held. The waits end with the
 * run's signal, which aborts when the pipeline ends.
 */
function followReplicas(ctx, settings, clients, version, report = () => undefined) {
    const replicas = version?.replicas ?? [];
    if (!version || replicas.length === 0)
        return { before: undefined, currentAt: () => undefined };
    const waits = waitForReplicas(clients.secretsManager, version, replicas, {
        clock: ctx.clock,
        timeoutSeconds: settings.rotationTimeoutSeconds,
        log: ctx.log.info,
        signal: ctx.signal
    });
    const results = new Map();
    for (const wait of waits.values()) {
        void wait.then((result) => {
            results.set(result.region, result);
            report(replicas.map((r) => results.get(r.region)).filter((r) => Boolean(r)));
        });
    }
    return {
        before: async (ref) => {
            const result = await waits.get(ref.region);
            return result && result.status !== 'in-sync' ? `not redeployed: ${result.reason}` : undefined;
        },
        currentAt: (region) => results.get(region)?.currentAt
    };
}

;// CONCATENATED MODULE: ./src/secret/apply.ts






/** Writes the change planned by prepareSecretChange and waits until the new version is AWSCURRENT. */
async function applySecretChange(sm, plan, options) {
    const started = options.clock.now();
    const result = (fields) => ({
        mode: plan.mode,
        arn: plan.arn,
        name: plan.name,
        newVersionId: plan.token,
        previousVersionId: plan.previousVersionId,
        reused: plan.alreadyCreated && !plan.adopted,
        writtenByAttempt: plan.writtenByAttempt,
        adopted: plan.adopted,
        status: 'failed',
        startedAt: started,
        durationSeconds: (options.clock.now() - started) / 1000,
        ...fields
    });
    const unchanged = `AWSCURRENT is still on ${plan.previousVersionId ?? 'the previous version'}; nothing was changed`;
    const writes = options.writes ?? new run_writes/* WriteGate */.p(options.signal);
    if (plan.adopted) {
        options.log(`A rotation is already in progress (version ${plan.token}): waiting for it instead of starting another.`);
    }
    else if (plan.alreadyCreated) {
        options.log(`Version ${plan.token} was written by attempt ${plan.writtenByAttempt ?? '?'} of this run and step; not writing it again.`);
    }
    else if (plan.mode === 'put') {
        try {
            await writes.send('PutSecretValue', plan.name, (abortSignal) => sm.send(new client_secrets_manager_dist_cjs/* PutSecretValueCommand */.cp({ SecretId: plan.arn, ClientRequestToken: plan.token, SecretString: plan.value }), {
                abortSignal
            }));
        }
        catch (error) {
            if ((0,errors/* errorName */.Is)(error) !== 'ResourceExistsException') {
                if (options.signal?.aborted)
                    throw error;
                return result({ reason: `PutSecretValue failed: ${(0,errors/* awsErrorSentence */.hG)(error)}${quotaHint(error)} ${unchanged}.` });
            }
            // A version with this token exists: it is this write only if it holds exactly this value.
            const refused = await sameValueOrWhy(sm, plan);
            if (refused)
                return result({ reason: refused });
        }
        options.log(`Put new version ${plan.token} of ${plan.name}.`);
        // PutSecretValue moves AWSCURRENT at once: if the run is cancelled now, this version is AWSCURRENT.
        options.onWritten?.(result({ versionId: plan.token, reason: 'cancelled after the put: the new version is AWSCURRENT' }));
    }
    else {
        try {
            await writes.send('RotateSecret', plan.name, (abortSignal) => sm.send(new client_secrets_manager_dist_cjs/* RotateSecretCommand */.xp({
                SecretId: plan.arn,
                ClientRequestToken: plan.token,
                RotationLambdaARN: plan.rotationLambdaArn,
                RotateImmediately: true
            }), { abortSignal }));
        }
        catch (error) {
            if (options.signal?.aborted)
                throw error;
            const hint = (0,errors/* errorName */.Is)(error) === 'InvalidRequestException' ? ' (another rotation may have started since the pre-check)' : '';
            return result({ reason: `RotateSecret failed${hint}: ${(0,errors/* awsErrorSentence */.hG)(error)}${quotaHint(error)} ${unchanged}.` });
        }
        options.log(`Started rotation of ${plan.name}; the rotation function creates version ${plan.token}.`);
        options.onWritten?.(result({ reason: `cancelled while the rotation was under way: version ${plan.token} is AWSPENDING` }));
    }
    const deadline = started + options.rotationTimeoutSeconds * 1000;
    let stages = {};
    for (let interval = 1000;; interval = Math.min(interval * 1.5, 10_000)) {
        try {
            const secret = await sm.send(new client_secrets_manager_dist_cjs/* DescribeSecretCommand */.X5({ SecretId: plan.arn }), { abortSignal: options.signal });
            stages = secret.VersionIdsToStages ?? {};
        }
        catch (error) {
            if (options.signal?.aborted)
                throw error;
            // Retries are exhausted for this call; keep waiting while time remains.
            options.log(`DescribeSecret failed while waiting: ${(0,errors/* describeAwsError */.Pp)(error)}`);
        }
        if (hasLabel(stages, plan.token, AWSCURRENT)) {
            const createdAt = await versionCreatedAt(sm, plan.arn, plan.token);
            const done = result({ status: 'succeeded', versionId: plan.token, createdAt });
            const overtaken = plan.mode === 'put' && !plan.alreadyCreated ? await overtakenBy(sm, plan, stages, options.log) : undefined;
            return overtaken ? { ...done, status: 'failed', reason: overtaken } : done;
        }
        if (plan.mode === 'put' && Object.keys(stages).length > 0) {
            // PutSecretValue moves AWSCURRENT at once; if it is elsewhere, someone else moved it.
            return result({
                reason: `version ${plan.token} exists but is not AWSCURRENT (${describeStages(stages)}); another change moved the label`
            });
        }
        const now = options.clock.now();
        if (now >= deadline)
            return result({ reason: timeoutReason(plan, stages, options.rotationTimeoutSeconds) });
        if (options.signal?.aborted)
            return result({ reason: `cancelled while waiting for version ${plan.token} to become AWSCURRENT (${describeStages(stages)})` });
        await (0,src_clock/* pause */.v)(options.clock, Math.min(interval, deadline - now), options.signal);
    }
}
/**
 * After a put, AWSPREVIOUS must be the version that was AWSCURRENT at the pre-check (the one a
 * json-key merge started from). If it is another, someone changed the secret in between: with
 * json-key their change is not in the merged value, so the run fails (and does not redeploy)
 * rather than spread a value that silently dropped it. A whole-value put replaces everything
 * anyway; it is told, not failed.
 */
async function overtakenBy(sm, plan, stages, log) {
    const previous = versionWithLabel(stages, AWSPREVIOUS);
    if (!plan.baseVersionId || previous === plan.baseVersionId)
        return undefined;
    const between = previous ?? 'a version without a label now';
    if (!plan.jsonKey) {
        log(`Version ${between} was made AWSCURRENT between the pre-check and this put: this run's value replaced it.`);
        return undefined;
    }
    const keys = await keysDiffering(sm, plan, previous);
    return (`another change was written while this run merged "${plan.jsonKey}": this run merged into version ${plan.baseVersionId}, ` +
        `but version ${between} was made AWSCURRENT in between (it is AWSPREVIOUS now). AWSCURRENT is ${plan.token}, this run's version, ` +
        `which holds keys ${keys.all} and lacks that change${keys.differing}. The services were not redeployed. Run again to merge ` +
        `"${plan.jsonKey}" into the newest version, and use one \`concurrency:\` group per secret so runs do not overlap.`);
}
/** Key names only (never values): all of this run's version, and those whose value differs from the version in between. */
async function keysDiffering(sm, plan, other) {
    const ours = JSON.parse(plan.value ?? '{}');
    const all = Object.keys(ours)
        .map((k) => `"${k}"`)
        .join(', ');
    if (!other)
        return { all, differing: '' };
    try {
        const theirs = JSON.parse((await versionValue(sm, plan.arn, other)) ?? '');
        const names = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].filter((k) => k !== plan.jsonKey && JSON.stringify(ours[k]) !== JSON.stringify(theirs[k]));
        return { all, differing: names.length > 0 ? ` (keys that differ from ${other}: ${names.map((k) => `"${k}"`).join(', ')})` : '' };
    }
    catch {
        return { all, differing: '' };
    }
}
/** ResourceExistsException: the token's version exists. Undefined if it holds exactly this value; otherwise why not. */
async function sameValueOrWhy(sm, plan) {
    try {
        if ((await versionValue(sm, plan.arn, plan.token)) === plan.value)
            return undefined;
    }
    catch (error) {
        return (`PutSecretValue said version ${plan.token} already exists, and reading it to check that it holds this value failed ` +
            `(${(0,errors/* describeAwsError */.Pp)(error)}): it is not counted as written. Check the versions of ${plan.name} before running again.`);
    }
    return `PutSecretValue said version ${plan.token} already exists with another value: this run's value was not written.`;
}
/**
 * LimitExceededException on a write is a quota, not throttling (the clients do not retry it):
 * usually the secret's versions, as Secrets Manager keeps every version of the last 24 hours.
 */
function quotaHint(error) {
    if ((0,errors/* errorName */.Is)(error) !== 'LimitExceededException')
        return '';
    return (' This is a Secrets Manager quota, not throttling, so it was not retried: most often the number of versions the secret keeps ' +
        '(every version created in the last 24 hours is kept, so changing a secret more than about once every 10 minutes reaches it). ' +
        'Wait for older versions to age out before running again, and change this secret less often.');
}
/** The new version's creation time, for the rollout proof; absent if it cannot be read. */
async function versionCreatedAt(sm, arn, versionId) {
    try {
        const { Versions = [] } = await sm.send(new client_secrets_manager_dist_cjs/* ListSecretVersionIdsCommand */.Af({ SecretId: arn }));
        return Versions.find((v) => v.VersionId === versionId)?.CreatedDate;
    }
    catch {
        return undefined;
    }
}
function timeoutReason(plan, stages, timeoutSeconds) {
    const current = Object.keys(stages).find((id) => hasLabel(stages, id, AWSCURRENT));
    const state = `AWSCURRENT is still on ${current ?? 'no version'}, so the previous value is unchanged (${describeStages(stages)})`;
    if (hasLabel(stages, plan.token, AWSPENDING)) {
        return (`rotation did not finish within ${timeoutSeconds}s: version ${plan.token} is stuck in AWSPENDING. ${state}. ` +
            "Check the rotation function's logs (setSecret/testSecret); Secrets Manager retries it, and the next run fails until AWSPENDING is cleared.");
    }
    return `rotation did not finish within ${timeoutSeconds}s: the rotation function has not created version ${plan.token}. ${state}.`;
}

;// CONCATENATED MODULE: ./src/stages/secret-change.ts

/**
 * Writes the planned change (or waits for the one an earlier attempt, or a running rotation,
 * made) until the new version is AWSCURRENT. `onWritten` hears as soon as the write was
 * answered, so a cancelled run can report the version it made.
 */
async function secretChangeStage(ctx, settings, sm, plan, onWritten) {
    ctx.log.info(`${plan.mode === 'put' ? 'Putting a new value into' : 'Rotating'} ${plan.name} (AWSCURRENT is ${plan.baseVersionId ?? 'unset'})`);
    return applySecretChange(sm, plan, {
        clock: ctx.clock,
        rotationTimeoutSeconds: settings.rotationTimeoutSeconds,
        log: ctx.log.info,
        signal: ctx.signal,
        writes: ctx.writes,
        onWritten
    });
}

// EXTERNAL MODULE: ./node_modules/jsonc-parser/lib/umd/main.js
var main = __webpack_require__(9547);
;// CONCATENATED MODULE: ./src/secret/json-merge.ts

/** Why one key cannot be set faithfully in a JSON document; the caller names the input. */
class JsonMergeError extends Error {
    name = 'JsonMergeError';
}
/**
 * Sets one top-level key of a JSON object to a string by editing the text, not by parsing and
 * serialising it again: every other byte stays as it was, so numbers such as
 * 12345678901234567890 or 1.50, escapes such as \u00e9, key order and layout are kept (a
 * re-serialised document would change values nobody asked to change, and the masks registered
 * for the old text would no longer match). A new key goes after the last one, in the layout of
 * the key before it. A document that is not a strict JSON object, or that names the key twice
 * (which value would count is then up to the reader), is refused.
 */
function setJsonKey(text, key, value) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new JsonMergeError('the current value of the secret is not a JSON object');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new JsonMergeError('the current value of the secret is not a JSON object');
    // JSON.parse took it as a strict JSON object, so the tree is that object's: it only gives the offsets.
    const root = (0,main.parseTree)(text);
    const members = (root.children ?? []).map(member);
    const same = members.filter((m) => m.key === key);
    if (same.length > 1)
        throw new JsonMergeError(`the current value names key "${key}" ${same.length} times, so which one counts is unclear`);
    const encoded = JSON.stringify(value);
    let merged;
    if (same.length === 1) {
        const target = same[0].value;
        merged = text.slice(0, target.offset) + encoded + text.slice(target.offset + target.length);
    }
    else if (members.length === 0) {
        const close = root.offset + root.length - 1;
        merged = `${text.slice(0, close)}${JSON.stringify(key)}: ${encoded}${text.slice(close)}`;
    }
    else {
        const last = members[members.length - 1];
        // The whitespace before the last key and between its key and value, so the new line looks like it.
        const before = gapBefore(text, last.keyNode.offset);
        const colon = text.slice(last.keyNode.offset + last.keyNode.length, last.value.offset);
        const end = last.value.offset + last.value.length;
        merged = `${text.slice(0, end)},${before}${JSON.stringify(key)}${colon}${encoded}${text.slice(end)}`;
    }
    check(merged, parsed, key, value);
    return merged;
}
function member(node) {
    const [keyNode, value] = node.children;
    return { key: keyNode.value, keyNode, value };
}
/** The whitespace between the comma before a key and the key. */
function gapBefore(text, offset) {
    let start = offset;
    while (/\s/.test(text[start - 1] ?? ''))
        start--;
    return text.slice(start, offset);
}
/** A guard before the value is written: the edit must leave the same keys and the one new value. */
function check(merged, before, key, value) {
    const after = JSON.parse(merged);
    const keys = new Set([...Object.keys(before), key]);
    if (after[key] !== value || Object.keys(after).length !== keys.size || !Object.keys(after).every((k) => keys.has(k))) {
        throw new JsonMergeError(`key "${key}" could not be set without changing other keys`);
    }
}

;// CONCATENATED MODULE: ./src/secret/prepare.ts








/** A problem found before anything was written; the message names the input or resource. */
class PrecheckError extends Error {
    name = 'PrecheckError';
}
/**
 * Reads the secret and checks that the change can be made: it exists, is not scheduled for
 * deletion, has no other rotation in progress, and (rotate) has rotation configured. For put it
 * also works out the new value (generated, or merged into the JSON secret). Writes nothing.
 */
async function prepareSecretChange(sm, settings, mask, log = () => undefined) {
    const { mode, secretId } = settings;
    const jsonKey = settings.mode === 'put' ? settings.jsonKey : undefined;
    const secret = await describeSecret(sm, secretId, settings.secretRegion);
    const arn = secret.ARN;
    const name = secret.Name ?? secretId;
    const stages = secret.VersionIdsToStages ?? {};
    if (secret.DeletedDate) {
        throw new PrecheckError(`\`${constants/* Inputs */.G0.SecretId}\`: secret "${name}" is scheduled for deletion (since ${secret.DeletedDate.toISOString()}); restore it first (aws secretsmanager restore-secret)`);
    }
    if (secret.PrimaryRegion && secret.PrimaryRegion !== settings.secretRegion) {
        throw new PrecheckError(`\`${constants/* Inputs */.G0.SecretId}\`: "${name}" in ${settings.secretRegion} is a replica; Secrets Manager takes changes only in its primary region, ` +
            `${secret.PrimaryRegion}, and replicates them. Set \`${constants/* Inputs */.G0.AwsRegion}: ${secret.PrimaryRegion}\` or use the primary's ARN ` +
            `(${arnInRegion(arn, secret.PrimaryRegion)}); nothing was changed`);
    }
    const replicas = replicasOf(secret);
    const regions = [settings.secretRegion, ...replicas.filter((r) => r.status !== 'Failed').map((r) => r.region)];
    const owningService = secret.OwningService || undefined;
    if (owningService && mode === 'put') {
        throw new PrecheckError(`\`${constants/* Inputs */.G0.SecretId}\`: secret "${name}" is managed by ${owningService} (OwningService), which owns its value: a put would ` +
            `leave ${owningService} and the secret disagreeing. Change it through ${owningService} (for an RDS master password, ` +
            'aws rds modify-db-instance --rotate-master-user-password), or use mode rotate, which asks the managing service to rotate it');
    }
    const identity = { run: settings.run, secretArn: arn, mode, jsonKey };
    const current = versionWithLabel(stages, AWSCURRENT);
    const pending = pendingRotation(stages);
    const pendingOurs = pending !== undefined && isEarlierAttempt(pending, identity);
    // With if-rotation-in-progress: wait, a rotation already running is the change this run rolls out.
    const adopted = Boolean(pending && !pendingOurs && settings.mode === 'rotate' && settings.ifRotationInProgress === 'wait');
    if (pending && !pendingOurs && !adopted) {
        throw new PrecheckError(`secret "${name}": a rotation is already in progress (version ${pending} is AWSPENDING; ${describeStages(stages)}). ` +
            'Wait for it to finish (or set `if-rotation-in-progress: wait`), or if it failed, fix the rotation function and remove the label: ' +
            `aws secretsmanager update-secret-version-stage --secret-id ${name} --version-stage AWSPENDING --remove-from-version-id ${pending}`);
    }
    if (pending && pendingOurs && mode === 'put') {
        throw new PrecheckError(`secret "${name}": version ${pending} is AWSPENDING (${describeStages(stages)}); a put would not finish it`);
    }
    const before = await versionBeforeRun(stages, identity, () => listVersions(sm, arn)).catch((error) => {
        throw new PrecheckError(`Could not list the versions of "${name}" to find the one before this run: ${(0,errors/* describeAwsError */.Pp)(error)}`);
    });
    // An earlier attempt of this run and step whose version is AWSCURRENT (or whose rotation is still running) made this change.
    const earlier = pendingOurs ? pending : current && isEarlierAttempt(current, identity) ? current : undefined;
    const plan = {
        mode,
        arn,
        name,
        region: settings.secretRegion,
        token: adopted ? pending : versionToken(identity),
        previousVersionId: before.versionId,
        baseVersionId: current,
        alreadyCreated: adopted,
        adopted,
        replicas,
        regions,
        jsonKey
    };
    if (before.judgedBy === 'creation time') {
        log(`Version ${before.versionId ?? '(none)'} was the newest version before this run's first attempt: a rollback would move back to it.`);
    }
    if (settings.mode === 'rotate') {
        if (earlier)
            return { ...plan, token: earlier, alreadyCreated: true, writtenByAttempt: attemptThatWrote(earlier, identity) };
        if (!adopted && !owningService && !secret.RotationEnabled && !secret.RotationLambdaARN && !settings.rotationLambdaArn) {
            throw new PrecheckError(`secret "${name}" has no rotation configured: set \`${constants/* Inputs */.G0.RotationLambdaArn}\`, configure rotation on the secret, or use mode put`);
        }
        // RotationEnabled is false (not absent) once rotation was configured and then turned off.
        const turnsRotationBackOn = !adopted && secret.RotationEnabled === false;
        if (turnsRotationBackOn && settings.ifRotationDisabled !== 'enable') {
            throw new PrecheckError(`secret "${name}": automatic rotation is turned off, and RotateSecret turns it back on (${describeSchedule(secret)}). ` +
                `Set \`${constants/* Inputs */.G0.IfRotationDisabled}: enable\` to rotate and turn the schedule back on, or use mode put to change the value without rotation`);
        }
        return { ...plan, rotationLambdaArn: settings.rotationLambdaArn, owningService, turnsRotationBackOn };
    }
    // Each version is read at most once: the merge's base is also the rollback target on a first attempt.
    const texts = new Map();
    const read = (versionId) => {
        if (!texts.has(versionId))
            texts.set(versionId, versionValue(sm, arn, versionId));
        return texts.get(versionId);
    };
    const put = await plannedValue(sm, settings, plan, earlier, mask, log, read);
    const rollbackCheck = settings.rollbackOnFailure ? await rollbackTargetCheck(put, read) : undefined;
    return { ...put, rollbackCheck };
}
/**
 * What a put writes. A re-run converges: when an earlier attempt of this run and step made
 * AWSCURRENT and it holds what this attempt would write (the same given value, the same merged
 * JSON; a generated value is whatever that attempt generated), nothing is written again.
 */
async function plannedValue(sm, settings, plan, earlier, mask, log, read) {
    const source = settings.value;
    const converged = () => ({
        ...plan,
        token: earlier,
        alreadyCreated: true,
        writtenByAttempt: attemptThatWrote(earlier, { run: settings.run, secretArn: plan.arn, mode: 'put', jsonKey: plan.jsonKey })
    });
    if (earlier && source.kind === 'generate')
        return converged();
    const currentText = settings.jsonKey || earlier ? await currentValue(read, plan, settings.jsonKey !== undefined, log) : undefined;
    if (currentText !== undefined)
        mask(currentText);
    let value;
    if (source.kind === 'given') {
        value = source.value;
    }
    else {
        const generated = await sm.send(new client_secrets_manager_dist_cjs/* GetRandomPasswordCommand */.EY({
            PasswordLength: source.length,
            ExcludeCharacters: source.excludeCharacters,
            ExcludePunctuation: source.excludePunctuation
        }));
        value = generated.RandomPassword ?? '';
        if (!value)
            throw new PrecheckError('GetRandomPassword returned no password');
        mask(value);
    }
    if (settings.jsonKey) {
        if (!plan.baseVersionId) {
            throw new PrecheckError(`\`${constants/* Inputs */.G0.JsonKey}\`: secret has no AWSCURRENT version to merge "${settings.jsonKey}" into`);
        }
        if (currentText === undefined)
            throw new PrecheckError(`\`${constants/* Inputs */.G0.JsonKey}\`: the current value is binary, not a JSON object`);
        try {
            value = setJsonKey(currentText, settings.jsonKey, value);
        }
        catch (error) {
            if (!(error instanceof JsonMergeError))
                throw error;
            throw new PrecheckError(`\`${constants/* Inputs */.G0.JsonKey}\`: ${error.message}, so key "${settings.jsonKey}" cannot be set in it; nothing was changed`);
        }
        mask(value);
        const bytes = Buffer.byteLength(value, 'utf8');
        if (bytes > constants/* MAX_SECRET_BYTES */.sU) {
            throw new PrecheckError(`\`${constants/* Inputs */.G0.JsonKey}\`: the merged value would be ${bytes} bytes, above Secrets Manager's limit of ${constants/* MAX_SECRET_BYTES */.sU} bytes; nothing was changed`);
        }
    }
    if (earlier && currentText === value) {
        log(`Version ${earlier}, written by an earlier attempt of this run, is AWSCURRENT and holds this value: not writing it again.`);
        return converged();
    }
    return { ...plan, value };
}
/** AWSCURRENT's text: needed to merge a key into it, or to see whether an earlier attempt already wrote this value. */
async function currentValue(read, plan, required, log) {
    if (!plan.baseVersionId)
        return undefined;
    try {
        return await read(plan.baseVersionId);
    }
    catch (error) {
        if (required)
            throw error;
        log(`Could not read AWSCURRENT (${plan.baseVersionId}, written by an earlier attempt of this run) to compare it with the new value: ` +
            `${(0,errors/* describeAwsError */.Pp)(error)}. Writing the value as a new version.`);
        return undefined;
    }
}
/**
 * rollback-on-failure: the value of the version a rollback would move back to, read now, so a
 * rollback never "restores" the value it is undoing and a role that cannot read it is told before any write.
 */
async function rollbackTargetCheck(plan, read) {
    const target = plan.previousVersionId;
    if (!target)
        return undefined;
    let text;
    try {
        text = await read(target);
    }
    catch (error) {
        throw new PrecheckError(`\`${constants/* Inputs */.G0.RollbackOnFailure}\`: could not read version ${target} of "${plan.name}", the one a rollback would restore ` +
            `(secretsmanager:GetSecretValue on the secret is needed to check it): ${(0,errors/* describeAwsError */.Pp)(error)}; nothing was changed`);
    }
    if (text === undefined)
        return undefined;
    return { targetDigest: digestOf(text), newDigest: plan.value === undefined ? undefined : digestOf(plan.value) };
}
/**
 * The secret as DescribeSecret gives it (read-only), or a PrecheckError the user can act on:
 * it does not exist in that region, or why it could not be read (with the AWS error name).
 */
async function describeSecret(sm, secretId, region) {
    try {
        return await sm.send(new client_secrets_manager_dist_cjs/* DescribeSecretCommand */.X5({ SecretId: secretId }));
    }
    catch (error) {
        if ((0,errors/* errorName */.Is)(error) === 'ResourceNotFoundException') {
            throw new PrecheckError(`\`${constants/* Inputs */.G0.SecretId}\`: secret "${secretId}" does not exist in ${region}`);
        }
        throw new PrecheckError(`Could not describe secret "${secretId}": ${(0,errors/* describeAwsError */.Pp)(error)}`);
    }
}
/** The schedule a RotateSecret would turn back on, as DescribeSecret keeps it while rotation is off. */
function describeSchedule(secret) {
    const rules = secret.RotationRules;
    if (rules?.ScheduleExpression)
        return `schedule ${rules.ScheduleExpression}`;
    return rules?.AutomaticallyAfterDays ? `every ${rules.AutomaticallyAfterDays} days` : 'its previous schedule';
}

;// CONCATENATED MODULE: ./src/stages/secret-precheck.ts



/**
 * The secret pre-check (put and rotate): reads the secret and plans the change, writing nothing.
 * Says what the plan implies that a user may not expect (managed rotation, a schedule turned back on).
 */
async function secretPrecheckStage(ctx, settings, sm, mask) {
    const plan = await prepareSecretChange(sm, settings, mask, ctx.log.info);
    if (plan.owningService) {
        ctx.log.info(`${plan.name} is managed by ${plan.owningService}: RotateSecret asks ${plan.owningService} to rotate it (managed rotation)`);
    }
    if (plan.turnsRotationBackOn) {
        ctx.log.warn(`Automatic rotation of ${plan.name} is turned off; this rotation turns its schedule back on (if-rotation-disabled: enable)`);
    }
    return plan;
}
/** For discovery in mode redeploy: the secret's ARN, name and regions (with its replicas), read with the pre-check's own lookup. */
async function secretIdentity(sm, secretId, region) {
    const secret = await describeSecret(sm, secretId, region);
    const arn = secret.ARN;
    const replicas = replicasOf(secret).filter((r) => r.status !== 'Failed');
    return { arn, name: secret.Name ?? secretId, regions: [(0,dist_cjs/* parse */.qg)(arn).region, ...replicas.map((r) => r.region)] };
}

// EXTERNAL MODULE: ./src/run/state.ts + 1 modules
var run_state = __webpack_require__(8194);
;// CONCATENATED MODULE: ./src/run/pipeline.ts














/**
 * The stages after the inputs, in order: credentials -> read-only checks (secret, discovery,
 * services) -> change the secret -> redeploy and wait -> (opt-in) roll back. Nothing is written
 * to AWS until every check has passed. Each stage returns its result; only this file and
 * main.ts record results in the run's state.
 */
async function awsStages(state, ctx, settings, runner) {
    enter(state, stages/* Stage */.B.Credentials, ctx);
    const aws = await credentialsStage(ctx, settings, runner.getIDToken);
    state.mainAccount = aws.mainAccount;
    state.budget = aws.budget;
    const sm = aws.clients.secretsManager(settings.secretRegion);
    enter(state, stages/* Stage */.B.SecretPrecheck, ctx);
    if (settings.mode !== 'redeploy') {
        state.plan = await secretPrecheckStage(ctx, settings, sm, (0,mask/* secretMasker */.c8)(ctx.log.mask, (0,src_settings/* namesTheReportShows */.Iu)(settings)));
    }
    let services = settings.services;
    // discover-services needs secret-id (settings/rules.ts), in every mode.
    if (settings.discoverIn.length > 0 && settings.secretId !== undefined) {
        enter(state, stages/* Stage */.B.Discovery, ctx);
        const secret = state.plan ?? (await secretIdentity(sm, settings.secretId, settings.secretRegion));
        const found = await discoveryStage(ctx, settings, aws.clients, secret, state.mainAccount);
        state.discovery = found.discovery;
        services = found.services;
    }
    const round = new service_state/* ServiceTracker */.W(services, ctx.clock, (0,run_state/* discoveredBy */.CB)(state));
    state.round = round;
    enter(state, stages/* Stage */.B.Preflight, ctx);
    const preflight = await preflightStage(ctx, settings, aws.clients, services);
    for (const [ref, kind] of preflight.kinds)
        round.assignKind(ref, kind.description);
    if (settings.dryRun) {
        round.markDryRun();
        state.planned = true;
        return;
    }
    if (state.plan) {
        enter(state, stages/* Stage */.B.SecretChange, ctx);
        state.secret = await secretChangeStage(ctx, settings, sm, state.plan, (partial) => (state.secret = partial));
        if (state.secret.status !== 'succeeded') {
            round.holdBecause('the secret change failed, so the running tasks keep the current value');
            return;
        }
    }
    if (services.length === 0)
        return;
    round.holdBecause('the run stopped before this service was redeployed');
    const secret = state.secret;
    const version = secret?.versionId ? rolloutVersion(secret, secret.versionId, state) : undefined;
    await rolloutStage(ctx, settings, aws.clients, version, {
        tracker: round,
        kindOf: (ref) => preflight.kinds.get(ref),
        expected: preflight.expected,
        verify: settings.verifyRollout,
        onPhase: (phase) => enter(state, phase === 'redeploy' ? stages/* Stage */.B.Redeploy : stages/* Stage */.B.Wait, ctx),
        onReplicas: (results) => {
            if (secret)
                secret.replicas = results;
        }
    });
    const failed = round.snapshot().filter(outcome/* hasFailed */.W);
    if (settings.mode === 'put' && settings.rollbackOnFailure && secret && failed.length > 0)
        await rollBack(state, ctx, settings, aws, preflight, secret, services, failed.length);
}
/** rollback-on-failure: AWSCURRENT back to the version before the run, then every service redeployed again with it. */
async function rollBack(state, ctx, settings, aws, preflight, secret, services, failed) {
    enter(state, stages/* Stage */.B.Rollback, ctx);
    const again = new service_state/* ServiceTracker */.W(services, ctx.clock, (0,run_state/* discoveredBy */.CB)(state));
    // Kinds made for this round: none takes the first round's deployments for its own.
    const kinds = await preflight.kindsForNewRound();
    for (const [ref, kind] of kinds)
        if ('description' in kind)
            again.assignKind(ref, kind.description);
    again.holdBecause('the rollback of the secret failed');
    const moved = await rollbackStage(ctx, aws.clients.secretsManager(settings.secretRegion), secret, state.plan, failed);
    state.rollback = { secret: moved, round: again };
    // AWSCURRENT did not move back: redeploying again would only spread the value that failed.
    if (moved.status !== 'succeeded')
        return;
    again.holdBecause('the run stopped before this service was redeployed again');
    for (const [ref, kind] of kinds)
        if ('refused' in kind)
            again.refuse(ref, `cannot be redeployed again: ${kind.refused}`);
    // Replica regions get the moved label like any change: their services wait for it again.
    await rolloutStage(ctx, settings, aws.clients, rolloutVersion(secret, moved.versionId, state), {
        tracker: again,
        kindOf: (ref) => kinds.get(ref),
        expected: preflight.expected,
        verify: false,
        onPhase: (phase) => enter(state, phase === 'redeploy' ? stages/* Stage */.B.Redeploy : stages/* Stage */.B.Wait, ctx)
    });
}
function rolloutVersion(secret, versionId, state) {
    return { arn: secret.arn, name: secret.name, versionId, createdAt: secret.createdAt, replicas: state.plan?.replicas ?? [] };
}
/** Moves the run to its next stage, unless it was cancelled: then no later stage starts. */
function enter(state, stage, ctx) {
    state.stage = stage;
    if (ctx.signal?.aborted)
        throw new run_writes/* CancelledError */.c(`the run was cancelled before "${stage}"`);
    ctx.log.group(stage);
}


/***/ })

};

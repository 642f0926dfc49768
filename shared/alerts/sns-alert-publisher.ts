import { PublishCommand, SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import {
  type AlertMessage,
  type DigestMessage,
  SNS_PUBLISH_MAX_BYTES,
  snsPublishBytes,
  snsStructuredMessage,
} from './alert-message.ts';
import { AlertPublishError, type AlertPublisher } from './alert-publisher.ts';

export interface SnsAlertPublisherOptions {
  client: SNSClient;
  topicArn: string;
  /** Tries per message, the first included. @default 4 */
  maxAttempts?: number;
  /** First backoff; doubled per retry, with full jitter. @default 200 */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

// Error names SNS and the SDK use for conditions that pass with time.
const TRANSIENT_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'KMSThrottlingException',
  'InternalError',
  'InternalErrorException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);
// Failures after which the request may have reached SNS without the answer reaching us.
const UNANSWERED_NAMES = new Set(['TimeoutError', 'AbortError']);
const UNANSWERED_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/**
 * The SNS client the publisher is built for: one attempt per call, and a 5 s request timeout that
 * fails the call (without throwOnRequestTimeout the SDK only logs a warning and keeps waiting).
 * The publisher does its own retries, and a publish must end well inside the story lease so no
 * second attempt overlaps it.
 */
export function createAlertSnsClient(
  options: Omit<SNSClientConfig, 'maxAttempts' | 'requestHandler'> & {
    /** @default 5000 */
    requestTimeoutMs?: number;
  } = {},
): SNSClient {
  const { requestTimeoutMs = 5_000, ...config } = options;
  return new SNSClient({
    ...config,
    maxAttempts: 1,
    requestHandler: { requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
  });
}

/** Publishes alerts and digests to one SNS topic, retrying throttling and server errors. */
export function createSnsAlertPublisher(options: SnsAlertPublisherOptions): AlertPublisher {
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const sleep = options.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));

  async function publish(message: AlertMessage | DigestMessage): Promise<{ messageId?: string }> {
    const bytes = snsPublishBytes(message);
    if (bytes > SNS_PUBLISH_MAX_BYTES) {
      throw new AlertPublishError(
        `the message is ${bytes} bytes, over SNS's ${SNS_PUBLISH_MAX_BYTES}; not sent`,
        false,
      );
    }
    const command = new PublishCommand({
      TopicArn: options.topicArn,
      Subject: message.subject,
      Message: snsStructuredMessage(message),
      MessageStructure: 'json',
      MessageAttributes: message.attributes,
    });
    for (let attempt = 1; ; attempt++) {
      try {
        const output = await options.client.send(command);
        return { messageId: output.MessageId };
      } catch (error) {
        const transient = isTransient(error);
        const maybeDelivered = isUnanswered(error);
        // Trying again at once after an unanswered request could deliver the message twice.
        if (!transient || maybeDelivered || attempt >= maxAttempts) {
          throw new AlertPublishError(
            `SNS publish to ${options.topicArn} ${maybeDelivered ? 'got no answer' : 'failed'} after ${attempt} attempt(s): ${describe(error)}`,
            transient,
            { cause: error, maybeDelivered },
          );
        }
        await sleep(Math.random() * baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  return { publish, publishDigest: publish };
}

/** The fields of an SDK or network error that tell what went wrong. */
interface ErrorFacts {
  name?: string;
  code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function factsOf(error: unknown): ErrorFacts {
  return typeof error === 'object' && error !== null ? error : {};
}

/** True for throttling, server-side and network errors, which a later attempt may get past. */
export function isTransient(error: unknown): boolean {
  const { name = '', code = '', $retryable, $metadata } = factsOf(error);
  if ($retryable || TRANSIENT_NAMES.has(name) || TRANSIENT_CODES.has(code)) return true;
  const status = $metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

/** A client timeout or a connection lost with no HTTP answer: SNS may have taken the message. */
function isUnanswered(error: unknown): boolean {
  const { name = '', code = '', $metadata } = factsOf(error);
  if ($metadata?.httpStatusCode !== undefined) return false;
  return UNANSWERED_NAMES.has(name) || UNANSWERED_CODES.has(code);
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

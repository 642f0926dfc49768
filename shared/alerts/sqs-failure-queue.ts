import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FailureQueue, QueuedMessage } from './failure-queue.ts';

/** The failure queue on SQS; `receive` waits briefly so an almost empty queue answers truly. */
export function sqsFailureQueue(client: SQSClient, queueUrl: string): FailureQueue {
  return {
    async receive(max, hideSeconds) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max),
          VisibilityTimeout: hideSeconds,
          WaitTimeSeconds: 1,
        }),
      );
      return Messages.flatMap((message): QueuedMessage[] =>
        message.MessageId && message.ReceiptHandle
          ? [{ id: message.MessageId, body: message.Body ?? '', receipt: message.ReceiptHandle }]
          : [],
      );
    },
    async remove(message) {
      await client.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.receipt }),
      );
    },
  };
}

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

type Item = Record<string, unknown>;
type Image = Record<string, AttributeValue>;

/** Turns items into DynamoDB attribute values and back, for the batch requests (dynamodb-retry.ts). */
export interface ItemCodec {
  marshall(item: Item): Image;
  unmarshall(image: Image): Item;
}

/**
 * For items whose attributes are all strings and numbers (feed states, facet entries, seen keys).
 * The document client walks every request and response generically; a sweep reads a thousand feed
 * states and writes hundreds, and that walk was a tenth of the garbage of an update sweep. An undefined
 * attribute is left out; any other type is refused on the way in and read by the SDK's own
 * unmarshall on the way out, so an item written otherwise still reads whole.
 */
export const FLAT_ITEM_CODEC: ItemCodec = {
  marshall(item) {
    const image: Image = {};
    for (const name in item) {
      const value = item[name];
      if (typeof value === 'string') image[name] = { S: value };
      else if (typeof value === 'number' && Number.isFinite(value))
        image[name] = { N: String(value) };
      else if (value !== undefined) {
        throw new TypeError(`attribute ${name} is not a string or a finite number`);
      }
    }
    return image;
  },
  unmarshall(image) {
    const item: Item = {};
    for (const name in image) {
      const value = image[name] as AttributeValue;
      if (value.S !== undefined) item[name] = value.S;
      else if (value.N !== undefined) item[name] = Number(value.N);
      else item[name] = unmarshall({ [name]: value })[name];
    }
    return item;
  },
};

/**
 * For items of any shape (matches, story members, what a match page reads): the SDK's own
 * marshall and unmarshall, as the document client runs them, undefined values left out.
 */
export const DOCUMENT_ITEM_CODEC: ItemCodec = {
  marshall: (item) => marshall(item, { removeUndefinedValues: true }),
  unmarshall: (image) => unmarshall(image),
};

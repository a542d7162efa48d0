import aws4 from 'aws4';

/** aws4 (SigV4 signing), in a module of its own so that the SNS integration loads it on first use. */
export { aws4 };

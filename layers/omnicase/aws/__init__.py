"""Adapters to AWS services other than DynamoDB (boto3, created lazily)."""

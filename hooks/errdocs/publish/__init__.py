"""What agents and machines read: Markdown twins, llms.txt, the contract files and the parity gate."""

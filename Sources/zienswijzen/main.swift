// Placeholder: replaced by the command line.
print("zienswijzen")

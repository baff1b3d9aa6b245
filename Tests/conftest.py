import sys
from pathlib import Path

# Lets every suite `import serverprocess`.
sys.path.insert(0, str(Path(__file__).resolve().parent))

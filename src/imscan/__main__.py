from imscan.manage import main

main()
